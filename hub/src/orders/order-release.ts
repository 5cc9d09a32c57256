import { randomUUID } from 'node:crypto'
import type { PoolConnection } from 'mysql2/promise'
import { reservations } from '../db/schema/index.ts'
import { runStatements, type Statement } from '../db/statements.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { insertMovements, writeLevels } from '../stock/ledger-writes.ts'
import { levelKey, type NamedLevel } from '../stock/stock-level.ts'
import { lockSiteLevels, type ReservableLevel } from '../stock/stock-locks.ts'

/** An order's active reservation, as a release locks it. */
export type HeldRow = Row<typeof reservations, 'id' | 'productId' | 'locationId' | 'qty'>

/**
 * Adds `delta` to the reserved stock of each locked level; returns the levels as written.
 * `alongside` go to the database with the levels' writes, in one round trip, before them.
 */
export async function shiftReserved(conn: PoolConnection, changes: { level: NamedLevel; delta: number }[], alongside: Statement[] = []) {
  const after = new Map<string, NamedLevel>()
  for (const { level, delta } of changes) {
    const key = levelKey(level.productId, level.locationId)
    const now = after.get(key) ?? { ...level, version: level.version + 1 }
    after.set(key, { ...now, reserved: now.reserved + delta })
  }
  const changed = [...after.values()]
  await runStatements(conn, [...alongside, ...(changed.length > 0 ? writeLevels(changed) : [])])
  return changed
}

/**
 * Locks what an order still holds (of these products, or all): the levels first, in lock order,
 * then its active reservation rows, as the partition workers lock them. Which levels the order
 * holds never changes; how much it holds may (picks consume it), so the rows are read under lock
 * once the levels are locked.
 */
export async function lockHeld(conn: PoolConnection, orderId: string, site: string, productIds?: number[]) {
  const [keys] = await conn.query<Row<typeof reservations, 'productId'>[]>(
    `SELECT DISTINCT ${columns(reservations, ['productId'])} FROM reservations WHERE order_id = ? AND status = 'active'`,
    [orderId],
  )
  const wanted = keys.map((r) => r.productId).filter((p) => !productIds || productIds.includes(p))
  const levels: ReservableLevel[] = wanted.length > 0 ? await lockSiteLevels(conn, site, wanted, { all: true }) : []
  const [held] = await conn.query<HeldRow[]>(
    // The index named: a primary-key scan would lock every reservation (see batch-state's lockLots).
    `SELECT ${columns(reservations, ['id', 'productId', 'locationId', 'qty'])} FROM reservations FORCE INDEX (reservations_order_product_location)
     WHERE order_id = ? AND status = 'active' ORDER BY id FOR UPDATE`,
    [orderId],
  )
  return { levels, held: held.filter((r) => wanted.includes(r.productId)) }
}

/**
 * Gives back `qty` of each locked reservation: reserved stock, the row (released once nothing is
 * left of it) and a compensating `release` movement (on hand does not move, but the ledger shows
 * when and why the reserved units went back, beside the picks and receipts of the same stock).
 */
export async function releaseHeld(
  conn: PoolConnection,
  orderId: string,
  levels: ReservableLevel[],
  takes: { row: HeldRow; qty: number }[],
  why: { reason: (qty: number) => string; triggeredBy: string },
): Promise<NamedLevel[]> {
  const given = takes.filter((t) => t.qty > 0)
  const levelOf = (r: HeldRow) => levels.find((l) => l.productId === r.productId && l.locationId === r.locationId)!
  const changed = await shiftReserved(
    conn,
    given.map((t) => ({ level: levelOf(t.row), delta: -t.qty })),
  )
  const statements: Statement[] = takes.map(({ row, qty }) =>
    // A row given back whole keeps its qty (what it held when released), as a full release leaves it.
    qty >= row.qty
      ? { sql: `UPDATE reservations SET status = 'released' WHERE id = ?`, values: [row.id] }
      : { sql: 'UPDATE reservations SET qty = qty - ? WHERE id = ?', values: [qty, row.id] },
  )
  if (given.length > 0) {
    statements.push(
      insertMovements(
        given.map(({ row, qty }) => ({
          eventId: randomUUID(),
          leg: 0,
          type: 'release',
          productId: row.productId,
          locationId: row.locationId,
          qtyDelta: 0,
          onHandAfter: levelOf(row).onHand,
          orderId,
          reason: why.reason(qty),
          triggeredBy: why.triggeredBy,
        })),
      ),
    )
  }
  await runStatements(conn, statements)
  return changed
}
