import type { ScanEvent } from '@wh/shared'
import { PendingEvents, type Outbox, type RecoveryReport } from './outbox.ts'

/**
 * An outbox that lives only in memory: for load generators and tests that measure the hub, not
 * the device's disk. A real handheld uses OutboxFile.
 */
export class MemoryOutbox extends PendingEvents implements Outbox {
  readonly recovery: RecoveryReport = { droppedBytes: 0 }

  constructor(maxPending = 10_000) {
    super(maxPending)
  }

  async add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent> {
    return this.admit(build)
  }

  async ack(eventId: string) {
    return this.pending.delete(eventId)
  }

  async close() {}
}
