/** The invariants of docs/reliability.md this module can check from the database, Redis and the queues. */
export type InvariantId = 'I1' | 'I2' | 'I3' | 'I6' | 'I7'

export interface Violation {
  invariant: InvariantId
  detail: string
}

export const INVARIANT_NAMES: Record<InvariantId, string> = {
  I1: 'conservation: ledger = stock level = lots = cache = change log',
  I2: 'never negative: on_hand, reserved, available, lots >= 0',
  I3: 'exactly once: each event in the ledger once, whole, and not also held or rejected',
  I6: 'reservations: active reservations = reserved; one order per Idempotency-Key',
  I7: 'drained: no waiting, active or delayed event work left; failed jobs listed',
}

/** At most this many rows of one query are reported; a broken table would otherwise flood the report. */
export const REPORT_LIMIT = 50
