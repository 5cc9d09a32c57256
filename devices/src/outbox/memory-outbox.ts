import type { ScanEvent } from '@wh/shared'
import { HeldEvents } from './held-events.ts'
import type { Outbox, OutboxLimits, RecoveryReport } from './outbox.ts'

/**
 * An outbox that lives only in memory: for load generators and tests that measure the hub, not
 * the device's disk. A real handheld uses OutboxFile.
 */
export class MemoryOutbox extends HeldEvents implements Outbox {
  readonly recovery: RecoveryReport = { droppedBytes: 0 }

  constructor(limits: OutboxLimits = {}) {
    super(limits)
  }

  async add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent> {
    return this.admit(build)
  }

  protected async storeAck() {}

  protected async storeReopen() {}

  async close() {}
}
