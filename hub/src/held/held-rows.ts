import type { HeldEvent } from '@wh/shared'
import { heldEvents } from '../db/schema/index.ts'
import { columns, type Packet, type Row } from '../db/typed-rows.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'

const HELD_KEYS = [
  'id',
  'eventId',
  'deviceId',
  'reasonCode',
  'reason',
  'payload',
  'status',
  'createdAt',
  'decidedBy',
  'decidedAt',
  'decisionReason',
] as const
export type HeldRow = Row<typeof heldEvents, (typeof HELD_KEYS)[number]>
export const HELD_COLUMNS = columns(heldEvents, HELD_KEYS)

/** A held row with the stock of its product at its location now (none yet counts as 0). */
export type ListedRow = HeldRow & Packet<{ onHand: number; available: number }>

/**
 * Held events with the stock now, the rows `where` picks (its columns qualified with `h.`). A
 * plain read beside the event: the one deciding sees the figures, the decision reads its own.
 */
export const SELECT_LISTED = `SELECT ${columns(heldEvents, HELD_KEYS, 'h')},
  COALESCE(s.on_hand, 0) AS onHand, COALESCE(s.on_hand - s.reserved, 0) AS available
  FROM held_events h LEFT JOIN stock_levels s ON s.product_id = h.product_id AND s.location_id = h.location_id`

export function toHeld(r: ListedRow): HeldEvent {
  const { event, sku, site, locationCode, toLocationCode, qty, poNumber, lot } = JSON.parse(r.payload) as QueuedEvent
  const iso = (d: Date | null) => (d ? d.toISOString() : null)
  return {
    id: Number(r.id),
    eventId: r.eventId,
    deviceId: r.deviceId,
    type: event.type,
    sku,
    site,
    location: locationCode,
    ...(toLocationCode ? { toLocation: toLocationCode } : {}),
    qty,
    ...(event.orderId ? { orderId: event.orderId } : {}),
    ...(poNumber ? { poNumber } : {}),
    ...(lot ? { lot } : {}),
    reasonCode: r.reasonCode,
    reason: r.reason,
    // The table's CHECK holds it to these.
    status: r.status as HeldEvent['status'],
    createdAt: iso(r.createdAt)!,
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt),
    decisionReason: r.decisionReason,
    stockNow: { onHand: Number(r.onHand), available: Number(r.available) },
  }
}
