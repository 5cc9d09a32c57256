import type { ScanEvent } from '@wh/shared'

/**
 * What a ScannerClient needs of an outbox, apart from where it keeps events: a file in Node
 * (OutboxFile), IndexedDB in a browser (handheld/src/link/idb-outbox.ts), memory for load tests.
 * No node: imports here, so the browser build can share it.
 *
 * An outbox holds two kinds of events: pending ones (not acknowledged yet; `events()`, `size`)
 * and, for a history window after their ack, acknowledged ones. History is what lets a device
 * resend what a hub restored from a backup no longer has (`reopen`).
 */
export interface Outbox {
  readonly recovery: RecoveryReport
  /** Pending (unacknowledged) events. */
  readonly size: number
  /** Acknowledged events still kept in the history window. */
  readonly historySize: number
  /** Pending events, oldest first (deviceSeq order). */
  events(): ScanEvent[]
  /** A pending event. */
  get(eventId: string): ScanEvent | undefined
  /** True for a pending event that `reopen` brought back from history: its first ack was heard. */
  settledBefore(eventId: string): boolean
  /** Gives the event its deviceSeq and stores it durably; resolves once it would survive a crash. */
  add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent>
  /** Moves a pending event to history on its application ack; false when it was not pending (a late copy). */
  ack(eventId: string): Promise<boolean>
  /**
   * Makes every event kept in history with a deviceSeq above `after` pending again, durably, and
   * resolves with every pending event above `after` (those and the ones already pending), oldest
   * first. A crash after it resolves finds them still pending, so they are resent.
   */
  reopen(after: number): Promise<ScanEvent[]>
  close(): Promise<void>
}

/** The limits every kind of outbox takes. */
export interface OutboxLimits {
  /** Most pending events held, not counting those `reopen` brought back; `add` refuses more. @defaultValue 10000 */
  maxPending?: number
  /**
   * How long an acknowledged event is kept after its ack, for a resync after a database restore.
   * Longer than the time between the hub's database backups. @defaultValue 86400000 (24 h)
   */
  historyMs?: number
  /** Most acknowledged events kept; the earliest acknowledged go first. @defaultValue 50000 */
  maxHistory?: number
  /** The clock acks are timed by. @defaultValue Date.now */
  now?: () => number
}

export const OUTBOX_DEFAULTS: Required<OutboxLimits> = {
  maxPending: 10_000,
  historyMs: 24 * 60 * 60 * 1000,
  maxHistory: 50_000,
  now: Date.now,
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
