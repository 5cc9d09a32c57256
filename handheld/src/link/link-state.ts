import type { Ack, ScanEvent } from '@wh/shared'

/** One scan as the outcomes list shows it: `queued` until the hub's ack. */
export interface Outcome {
  eventId: string
  deviceSeq: number
  type: ScanEvent['type']
  barcode: string
  location: string
  toLocation?: string
  qty?: number
  /** The PO a receipt is for, the order a pick is for. */
  poNumber?: string
  orderId?: string
  status: 'queued' | 'applied' | 'duplicate' | 'held' | 'rejected'
  code?: string
  message?: string
  sku?: string
  onHand?: number
  available?: number
  /** When the status was set, unix milliseconds. */
  at: number
}

export interface LinkState {
  connection: 'connecting' | 'online' | 'offline'
  /** Scans stored on this handheld and not yet acknowledged by the hub; null until the outbox is read. */
  pending: number | null
  /** The hub refuses this device as a whole (a rotated secret, a disabled or unknown device). */
  refused?: { code: 'BAD_SIGNATURE' | 'DEVICE_DISABLED' | 'UNKNOWN_DEVICE' | (string & {}); message: string }
  /** Newest first, at most OUTCOMES_KEPT. */
  outcomes: Outcome[]
  /** Another tab of this app holds the link; this one cannot scan. */
  otherTab: boolean
}

export const OUTCOMES_KEPT = 50

// Pending is unknown, not 0, until the outbox is read: a screen must never say "0 pending" of scans it has not read yet.
export const initialLinkState: LinkState = { connection: 'connecting', pending: null, outcomes: [], otherTab: false }

export type LinkAction =
  | { type: 'connection'; connection: LinkState['connection'] }
  | { type: 'pending'; pending: number }
  | { type: 'refused'; ack: Ack }
  | { type: 'otherTab'; otherTab: boolean }
  | { type: 'outcome'; outcome: Outcome }
  | { type: 'loaded'; outcomes: Outcome[] }

/** A scan's outcome: `queued` without an ack; a `duplicate` shows how its first copy was settled. */
export function outcomeOf(event: ScanEvent, ack: Ack | undefined, at: number): Outcome {
  const { eventId, deviceSeq, type, barcode, location, toLocation, qty, poNumber, orderId } = event
  const status = !ack ? 'queued' : ack.status === 'duplicate' ? (ack.settledAs ?? 'duplicate') : ack.status
  const { code, message, sku, onHand, available } = ack ?? {}
  return strip({
    ...{ eventId, deviceSeq, type, barcode, location, toLocation, qty, poNumber, orderId },
    ...{ status, code, message, sku, onHand, available, at },
  })
}

/** The state after one thing the link saw; pure, so the screens and the tests agree on it. */
export function linkReducer(state: LinkState, action: LinkAction): LinkState {
  switch (action.type) {
    case 'connection':
      return { ...state, connection: action.connection }
    case 'pending':
      return { ...state, pending: action.pending }
    case 'otherTab':
      return { ...state, otherTab: action.otherTab }
    case 'refused':
      return { ...state, refused: { code: action.ack.code ?? 'REJECTED', message: action.ack.message ?? 'the hub refuses this device' } }
    case 'loaded':
      return { ...state, outcomes: mergeOutcomes(state.outcomes, action.outcomes) }
    case 'outcome': {
      // An answer tied to one of this device's scans means the hub takes the device again.
      const refused = action.outcome.status === 'queued' ? state.refused : undefined
      return strip({ ...state, refused, outcomes: mergeOutcomes(state.outcomes, [action.outcome]) })
    }
  }
}

/** Newest first by deviceSeq, one entry per event (the settled one beats `queued`), at most OUTCOMES_KEPT. */
function mergeOutcomes(current: Outcome[], added: Outcome[]): Outcome[] {
  const byEvent = new Map(current.map((o) => [o.eventId, o]))
  for (const o of added) {
    const known = byEvent.get(o.eventId)
    if (!known || known.status === 'queued') byEvent.set(o.eventId, o)
  }
  return [...byEvent.values()].sort((a, b) => b.deviceSeq - a.deviceSeq).slice(0, OUTCOMES_KEPT)
}

/** Leaves out members that are undefined, so state compares and stores cleanly. */
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
