import type { PoolConnection, RowDataPacket } from 'mysql2/promise'
import type { BatchPlan, LotMovementRow } from './apply-plan.ts'
import { UNNAMED_LOT, type LotState } from './lot-plan.ts'

/** A scannedAt that MySQL's DATETIME can hold, else null (the server's created_at still orders it). */
function scannedAt(iso: string | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  const year = d.getUTCFullYear()
  return Number.isNaN(d.getTime()) || year < 1000 || year > 9999 ? null : d
}

/** Writes a plan with set-based statements: one per table, whatever the batch size. */
export async function writeBatch(conn: PoolConnection, plan: BatchPlan): Promise<void> {
  if (plan.movements.length > 0) {
    await conn.query(
      `INSERT INTO stock_movements (event_id, leg, type, product_id, location_id, qty_delta, on_hand_after,
         device_id, device_seq, order_id, po_number, lot, reason, payload_hash, triggered_by, scanned_at) VALUES ?`,
      [
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
    )
  }
  if (plan.held.length > 0) {
    await conn.query(
      `INSERT INTO held_events (event_id, device_id, product_id, location_id, reason_code, reason, payload, payload_hash) VALUES ?`,
      [
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
    )
  }
  for (const { reservationId, qty } of plan.consumed) {
    // status first: assignments run left to right, so it still sees the qty before the pick.
    await conn.query(`UPDATE reservations SET status = IF(qty <= ?, 'consumed', status), qty = qty - ? WHERE id = ?`, [
      qty,
      qty,
      reservationId,
    ])
  }
  if (plan.changed.length > 0) {
    await conn.query(
      `INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version) VALUES ?
       ON DUPLICATE KEY UPDATE on_hand = VALUES(on_hand), reserved = VALUES(reserved), version = VALUES(version),
         updated_at = CURRENT_TIMESTAMP(3)`,
      [plan.changed.map((l) => [l.productId, l.locationId, l.onHand, l.reserved, l.version])],
    )
  }
  await writeLots(conn, plan)
  // Receipts against POs are few per batch: one update per line counted.
  for (const line of plan.changedPoLines) await conn.query(`UPDATE po_lines SET qty_received = ? WHERE id = ?`, [line.received, line.id])
}

/**
 * Lots upserted by their natural key, then the lot ledger rows, which need the ids of new lots. A
 * leg wholly in the unnamed lot, the common case, writes no lot ledger row: a leg without one
 * reads as exactly that (see the void).
 */
async function writeLots(conn: PoolConnection, plan: BatchPlan) {
  if (plan.changedLots.length === 0) return
  await conn.query(
    `INSERT INTO lots (product_id, location_id, lot_code, expiry, qty, po_number) VALUES ?
     ON DUPLICATE KEY UPDATE qty = VALUES(qty)`,
    [plan.changedLots.map((l) => [l.productId, l.locationId, l.code, l.expiry, l.qty, l.poNumber])],
  )
  const rows = lotLedgerRows(plan)
  const fresh = [...new Set(rows.map((m) => m.lot).filter((l) => l.id === undefined))]
  if (fresh.length > 0) {
    const [found] = await conn.query<RowDataPacket[]>(
      `SELECT id, product_id, location_id, lot_code FROM lots WHERE (product_id, location_id, lot_code) IN (?)`,
      [fresh.map((l) => [l.productId, l.locationId, l.code])],
    )
    const byKey = new Map(found.map((r) => [`${r.product_id}:${r.location_id}:${r.lot_code}`, Number(r.id)]))
    for (const lot of fresh) lot.id = byKey.get(lotKey(lot))
  }
  if (rows.length > 0) {
    await conn.query(`INSERT INTO lot_movements (event_id, leg, lot_id, qty_delta) VALUES ?`, [
      rows.map((m) => [m.eventId, m.leg, m.lot.id, m.qtyDelta]),
    ])
  }
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

const lotKey = (l: LotState) => `${l.productId}:${l.locationId}:${l.code}`
