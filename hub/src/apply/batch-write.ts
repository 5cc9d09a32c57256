import type { Statement } from '../db/statements.ts'
import type { BatchPlan, LotMovementRow } from './batch-plan.ts'
import { UNNAMED_LOT } from './lot-plan.ts'

/** A scannedAt that MySQL's DATETIME can hold, else null (the server's created_at still orders it). */
function scannedAt(iso: string | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  const year = d.getUTCFullYear()
  return Number.isNaN(d.getTime()) || year < 1000 || year > 9999 ? null : d
}

/**
 * The statements that write a plan, set-based: one per table whatever the batch size, but for the
 * few reservations and PO lines a batch consumes or counts, which get one each.
 */
export function batchWrites(plan: BatchPlan): Statement[] {
  const statements: Statement[] = []
  if (plan.movements.length > 0) {
    statements.push({
      sql: `INSERT INTO stock_movements (event_id, leg, type, product_id, location_id, qty_delta, on_hand_after,
         device_id, device_seq, order_id, po_number, lot, reason, payload_hash, triggered_by, scanned_at) VALUES ?`,
      values: [
        plan.movements.map(({ eventId, leg, productId, locationId, qtyDelta, onHandAfter, lot, item }) => [
          eventId,
          leg,
          item.event.type,
          productId,
          locationId,
          qtyDelta,
          onHandAfter,
          item.event.deviceId,
          item.approval ? null : item.event.deviceSeq,
          item.event.orderId ?? null,
          item.poNumber ?? null,
          lot,
          item.approval?.reason ?? item.event.reason ?? null,
          leg === 0 ? item.hash : null,
          item.approval ? 'approval' : 'scan',
          scannedAt(item.event.scannedAt),
        ]),
      ],
    })
  }
  if (plan.held.length > 0) {
    statements.push({
      sql: `INSERT INTO held_events (event_id, device_id, product_id, location_id, reason_code, reason, payload, payload_hash) VALUES ?`,
      values: [
        plan.held.map(({ item, code, reason }) => [
          item.event.eventId,
          item.event.deviceId,
          item.productId,
          item.locationId,
          code,
          reason,
          JSON.stringify(item),
          item.hash,
        ]),
      ],
    })
  }
  for (const { reservationId, qty } of plan.consumed) {
    // status first: assignments run left to right, so it still sees the qty before the pick.
    statements.push({
      sql: `UPDATE reservations SET status = IF(qty <= ?, 'consumed', status), qty = qty - ? WHERE id = ?`,
      values: [qty, qty, reservationId],
    })
  }
  if (plan.changed.length > 0) {
    statements.push({
      sql: `INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version) VALUES ?
       ON DUPLICATE KEY UPDATE on_hand = VALUES(on_hand), reserved = VALUES(reserved), version = VALUES(version),
         updated_at = CURRENT_TIMESTAMP(3)`,
      values: [plan.changed.map((l) => [l.productId, l.locationId, l.onHand, l.reserved, l.version])],
    })
  }
  statements.push(...lotWrites(plan))
  for (const line of plan.changedPoLines)
    statements.push({ sql: `UPDATE po_lines SET qty_received = ? WHERE id = ?`, values: [line.received, line.id] })
  return statements
}

/**
 * Lots upserted by their natural key, then the lot ledger rows. A lot new in this batch has no id
 * yet: its rows find it by the natural key, one statement each (named lots are few). A leg wholly
 * in the unnamed lot, the common case, writes no lot ledger row: a leg without one reads as
 * exactly that (see the void).
 */
function lotWrites(plan: BatchPlan): Statement[] {
  if (plan.changedLots.length === 0) return []
  const statements: Statement[] = [
    {
      sql: `INSERT INTO lots (product_id, location_id, lot_code, expiry, qty, po_number) VALUES ?
     ON DUPLICATE KEY UPDATE qty = VALUES(qty)`,
      values: [plan.changedLots.map((l) => [l.productId, l.locationId, l.code, l.expiry, l.qty, l.poNumber])],
    },
  ]
  const rows = lotLedgerRows(plan)
  const known = rows.filter((m) => m.lot.id !== undefined)
  if (known.length > 0) {
    statements.push({
      sql: `INSERT INTO lot_movements (event_id, leg, lot_id, qty_delta) VALUES ?`,
      values: [known.map((m) => [m.eventId, m.leg, m.lot.id, m.qtyDelta])],
    })
  }
  for (const m of rows.filter((r) => r.lot.id === undefined)) {
    statements.push({
      sql: `INSERT INTO lot_movements (event_id, leg, lot_id, qty_delta)
       SELECT ?, ?, id, ? FROM lots WHERE product_id = ? AND location_id = ? AND lot_code = ?`,
      values: [m.eventId, m.leg, m.qtyDelta, m.lot.productId, m.lot.locationId, m.lot.code],
    })
  }
  return statements
}

/** The lot shares worth a row: all but those of legs that went wholly through the unnamed lot. */
function lotLedgerRows(plan: BatchPlan): LotMovementRow[] {
  const legs = new Map<string, LotMovementRow[]>()
  for (const m of plan.lotMovements) {
    const key = `${m.eventId}:${m.leg}`
    legs.set(key, [...(legs.get(key) ?? []), m])
  }
  const legDelta = new Map(plan.movements.map((m) => [`${m.eventId}:${m.leg}`, m.qtyDelta]))
  return [...legs].flatMap(([key, shares]) => {
    const [only] = shares
    const unnamedOnly = shares.length === 1 && only!.lot.code === UNNAMED_LOT && only!.qtyDelta === legDelta.get(key)
    return unnamedOnly ? [] : shares.filter((m) => m.qtyDelta !== 0)
  })
}
