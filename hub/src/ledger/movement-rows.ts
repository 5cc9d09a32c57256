import type { Movement } from '@wh/shared'
// Aliased: `locations` is also a common name of an answer's field.
import { locations as locationsTable, products, stockMovements } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'

const MOVEMENT_KEYS = [
  'id',
  'eventId',
  'leg',
  'type',
  'qtyDelta',
  'onHandAfter',
  'deviceId',
  'orderId',
  'poNumber',
  'lot',
  'reason',
  'triggeredBy',
  'voidsMovementId',
  'createdAt',
] as const
/** A movement row joined with its SKU, its location's code and site, the void of it, and who made it. */
export type MovementRow = Row<typeof stockMovements, (typeof MOVEMENT_KEYS)[number]> &
  Row<typeof products, 'sku'> &
  Row<typeof locationsTable, 'code' | 'site'> & { voidedBy: number | string | null; actor: string | null }

/**
 * Who made a movement that a person (or a key) made, from the record each such change leaves in
 * its own transaction (the ledger row has no column for it): the decider of an approved held
 * event, the audit row of an office adjustment, the audit row of a void (kept under whichever leg
 * was named). Index lookups each (held_events.event_id, audit_entity); a scan's finds nothing.
 */
const ACTOR = `COALESCE(
    (SELECT h.decided_by FROM held_events h WHERE h.event_id = m.event_id AND h.status = 'approved'),
    (SELECT a.actor FROM audit_log a WHERE a.entity = 'adjustment' AND a.action = 'apply' AND a.entity_id = m.event_id LIMIT 1),
    (SELECT a.actor FROM stock_movements s
       JOIN audit_log a ON a.entity = 'movement' AND a.action = 'void' AND a.entity_id = CAST(s.voids_movement_id AS CHAR)
      WHERE m.type = 'void' AND s.event_id = m.event_id LIMIT 1)
  ) AS actor`

/** The columns a Movement is read from (with MOVEMENT_JOINS). */
export const MOVEMENT_COLUMNS = `${columns(stockMovements, MOVEMENT_KEYS, 'm')}, ${columns(products, ['sku'], 'p')},
  ${columns(locationsTable, ['code', 'site'], 'l')}, v.id AS voidedBy, ${ACTOR}`
export const MOVEMENT_JOINS = `JOIN products p ON p.id = m.product_id JOIN locations l ON l.id = m.location_id
  LEFT JOIN stock_movements v ON v.voids_movement_id = m.id`

const idOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))

export function toMovement(r: MovementRow): Movement {
  return {
    id: Number(r.id),
    eventId: r.eventId,
    leg: r.leg,
    type: r.type,
    sku: r.sku,
    site: r.site,
    location: r.code,
    qtyDelta: r.qtyDelta,
    onHandAfter: r.onHandAfter,
    deviceId: r.deviceId,
    orderId: r.orderId,
    poNumber: r.poNumber,
    lot: r.lot,
    reason: r.reason,
    triggeredBy: r.triggeredBy,
    actor: r.actor,
    voidsMovementId: idOrNull(r.voidsMovementId),
    voidedByMovementId: idOrNull(r.voidedBy),
    createdAt: r.createdAt.toISOString(),
  }
}
