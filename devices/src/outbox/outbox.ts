import type { ScanEvent } from '@wh/shared'

/**
 * What a ScannerClient needs of an outbox, apart from where it keeps events: a file in Node
 * (OutboxFile), IndexedDB in a browser (handheld/src/link/idb-outbox.ts), memory for load tests.
 * No node: imports here, so the browser build can share it.
 */
export interface Outbox {
  readonly recovery: RecoveryReport
  readonly size: number
  /** Unacknowledged events, oldest first (deviceSeq order). */
  events(): ScanEvent[]
  get(eventId: string): ScanEvent | undefined
  /** Gives the event its deviceSeq and stores it durably; resolves once it would survive a crash. */
  add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent>
  /** Removes an event on its application ack; false when it was not pending (a late copy). */
  ack(eventId: string): Promise<boolean>
  close(): Promise<void>
}

export interface RecoveryReport {
  /** Bytes after the last good record, kept aside in `<file>.corrupt-<time>` rather than lost. */
  droppedBytes: number
  keptAside?: string
}

export class OutboxFullError extends Error {
  constructor(readonly limit: number) {
    super(`the outbox holds ${limit} unacknowledged events, its limit; reconnect or raise the limit`)
  }
}

/**
 * What every outbox keeps in memory, wherever it stores events: the unacknowledged ones by id in
 * deviceSeq order, and the next deviceSeq. Each kind makes `add` and `ack` durable its own way.
 */
export abstract class PendingEvents {
  protected readonly pending = new Map<string, ScanEvent>()
  protected nextSeq = 1

  constructor(protected readonly maxPending: number) {}

  events(): ScanEvent[] {
    return [...this.pending.values()]
  }

  get(eventId: string): ScanEvent | undefined {
    return this.pending.get(eventId)
  }

  get size(): number {
    return this.pending.size
  }

  /**
   * The event built with the next deviceSeq, held in memory. The number is taken only once the
   * event is built, so a scan refused by validation leaves no gap the hub would wait out.
   */
  protected admit(build: (deviceSeq: number) => ScanEvent): ScanEvent {
    if (this.pending.size >= this.maxPending) throw new OutboxFullError(this.maxPending)
    const event = build(this.nextSeq)
    this.nextSeq = event.deviceSeq + 1
    this.pending.set(event.eventId, event)
    return event
  }
}
