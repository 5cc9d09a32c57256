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
