import type { ScanEvent } from '@wh/shared'
import { OutboxFullError, type Outbox, type RecoveryReport } from './outbox.ts'

/**
 * An outbox that lives only in memory: for load generators and tests that measure the hub, not
 * the device's disk. A real handheld uses OutboxFile.
 */
export class MemoryOutbox implements Outbox {
  private readonly pending = new Map<string, ScanEvent>()
  private nextSeq = 1
  readonly recovery: RecoveryReport = { droppedBytes: 0 }

  constructor(private readonly maxPending = 10_000) {}

  events = () => [...this.pending.values()]
  get = (eventId: string) => this.pending.get(eventId)
  get size() {
    return this.pending.size
  }

  async add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent> {
    if (this.pending.size >= this.maxPending) throw new OutboxFullError(this.maxPending)
    const event = build(this.nextSeq++)
    this.pending.set(event.eventId, event)
    return event
  }

  async ack(eventId: string) {
    return this.pending.delete(eventId)
  }

  async close() {}
}
