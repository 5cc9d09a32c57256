import type { PoolConnection } from 'mysql2/promise'
import { lots as lotsTable, type stockMovements } from '../db/schema/index.ts'
import { runStatements, type Statement } from '../db/statements.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import type { LotState } from './lot-plan.ts'
import type { StockLevel } from './stock-level.ts'

type MovementRow = typeof stockMovements.$inferInsert

/** One ledger row to append; what a caller leaves out is null (or the column's default). */
export type MovementInsert = Required<
  Pick<MovementRow, 'eventId' | 'leg' | 'type' | 'productId' | 'locationId' | 'qtyDelta' | 'onHandAfter' | 'triggeredBy'>
> &
  Pick<MovementRow, 'deviceId' | 'deviceSeq' | 'orderId' | 'poNumber' | 'lot' | 'reason' | 'payloadHash' | 'scannedAt' | 'voidsMovementId'>

/** Appends ledger rows, one statement whatever their number. The ledger is never updated or deleted. */
export function insertMovements(rows: MovementInsert[]): Statement {
  return {
    sql: `INSERT INTO stock_movements (event_id, leg, type, product_id, location_id, qty_delta, on_hand_after, device_id,
       device_seq, order_id, po_number, lot, reason, payload_hash, triggered_by, scanned_at, voids_movement_id) VALUES ?`,
    values: [
      rows.map((m) => [
        m.eventId,
        m.leg,
        m.type,
        m.productId,
        m.locationId,
        m.qtyDelta,
        m.onHandAfter,
        m.deviceId ?? null,
        m.deviceSeq ?? null,
        m.orderId ?? null,
        m.poNumber ?? null,
        m.lot ?? null,
        m.reason ?? null,
        m.payloadHash ?? null,
        m.triggeredBy,
        m.scannedAt ?? null,
        m.voidsMovementId ?? null,
      ]),
    ],
  }
}

/**
 * Writes levels as the caller computed them under their row locks (absolute values, the version
 * already moved on), creating the rows that do not exist yet, and records each in the change log
 * in the same transaction: what the changes feed and the webhooks read can never miss a write.
 */
export function writeLevels(levels: StockLevel[]): Statement[] {
  const rows = levels.map((l) => [l.productId, l.locationId, l.onHand, l.reserved, l.version])
  return [
    {
      sql: `INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version) VALUES ?
       ON DUPLICATE KEY UPDATE on_hand = VALUES(on_hand), reserved = VALUES(reserved), version = VALUES(version),
         updated_at = CURRENT_TIMESTAMP(3)`,
      values: [rows],
    },
    { sql: 'INSERT INTO stock_changes (product_id, location_id, on_hand, reserved, version) VALUES ?', values: [rows] },
  ]
}

/** A level row with nothing in it, so that it can be locked (reconciliation of a level the ledger has but no row). */
export function ensureLevel(productId: number, locationId: number): Statement {
  return { sql: 'INSERT IGNORE INTO stock_levels (product_id, location_id) VALUES (?, ?)', values: [productId, locationId] }
}

/** How one movement leg split over one lot; the lot has no id when this transaction creates it. */
export interface LotLedgerRow {
  eventId: string
  leg: number
  lot: LotState
  qtyDelta: number
}

/**
 * Lots upserted by their natural key (absolute quantities, as planned under their locks), then the
 * lot ledger rows. A lot new in this transaction has no id yet: its rows find it by the natural
 * key, one statement each (new lots are few).
 */
export function writeLots(lots: LotState[], ledger: LotLedgerRow[]): Statement[] {
  if (lots.length === 0 && ledger.length === 0) return []
  const statements: Statement[] = []
  if (lots.length > 0) {
    statements.push({
      sql: `INSERT INTO lots (product_id, location_id, lot_code, expiry, qty, po_number) VALUES ?
     ON DUPLICATE KEY UPDATE qty = VALUES(qty)`,
      values: [lots.map((l) => [l.productId, l.locationId, l.code, l.expiry, l.qty, l.poNumber])],
    })
  }
  const known = ledger.filter((m) => m.lot.id !== undefined)
  if (known.length > 0) {
    statements.push({
      sql: `INSERT INTO lot_movements (event_id, leg, lot_id, qty_delta) VALUES ?`,
      values: [known.map((m) => [m.eventId, m.leg, m.lot.id, m.qtyDelta])],
    })
  }
  for (const m of ledger.filter((r) => r.lot.id === undefined)) {
    statements.push({
      sql: `INSERT INTO lot_movements (event_id, leg, lot_id, qty_delta)
       SELECT ?, ?, id, ? FROM lots WHERE product_id = ? AND location_id = ? AND lot_code = ?`,
      values: [m.eventId, m.leg, m.qtyDelta, m.lot.productId, m.lot.locationId, m.lot.code],
    })
  }
  return statements
}

/** Gives the lots this transaction created their ids (for audit rows and answers that name them). */
export async function identifyNewLots(conn: PoolConnection, lots: LotState[]): Promise<void> {
  const fresh = lots.filter((l) => l.id === undefined)
  if (fresh.length === 0) return
  const [rows] = await conn.query<Row<typeof lotsTable, 'id' | 'productId' | 'locationId' | 'lotCode'>[]>(
    `SELECT ${columns(lotsTable, ['id', 'productId', 'locationId', 'lotCode'])} FROM lots WHERE (product_id, location_id, lot_code) IN (?)`,
    [fresh.map((l) => [l.productId, l.locationId, l.code])],
  )
  for (const lot of fresh)
    lot.id = Number(rows.find((r) => r.productId === lot.productId && r.locationId === lot.locationId && r.lotCode === lot.code)?.id)
}

/** A PO's new number, carried onto the lots and ledger rows that name it (denormalized there). */
export async function renumberPoStock(conn: PoolConnection, from: string, to: string) {
  const [lots, movements] = (await runStatements(conn, [
    { sql: 'UPDATE lots SET po_number = ? WHERE po_number = ?', values: [to, from] },
    { sql: 'UPDATE stock_movements SET po_number = ? WHERE po_number = ?', values: [to, from] },
  ])) as { affectedRows: number }[]
  return { lots: lots!.affectedRows, movements: movements!.affectedRows }
}
