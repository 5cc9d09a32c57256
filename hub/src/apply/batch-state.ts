import type { PoolConnection, RowDataPacket } from 'mysql2/promise'
import { runStatements, type Statement } from '../db/statements.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import { reservationKey, type BatchState, type HeldReservation, type SettledEvent } from './batch-plan.ts'
import { lockLevelsStatement, lockLotsStatement, parseLevels, parseLots, type LevelPair } from '../stock/stock-locks.ts'
import type { PurchaseOrderState } from './po-receipt.ts'

/** A read of the batch state: its statement, and what to make of the rows. */
interface Read<T> {
  statement: Statement
  parse: (rows: RowDataPacket[]) => T
}

/**
 * The reads a batch plans from, each one set-based statement, all sent in one round trip (with
 * the transaction's start, when `begin`). The locking ones follow the stock core's lock order
 * (levels, then reservations, then lots, then purchase orders).
 */
export async function readBatchState(
  conn: PoolConnection,
  items: QueuedEvent[],
  options: { reconsidered?: string[]; begin?: boolean } = {},
): Promise<BatchState> {
  // Every level the batch touches; the lock statements put them in lock order.
  const pairs = items.flatMap((i): LevelPair[] =>
    i.toLocationId === undefined
      ? [[i.productId, i.locationId]]
      : [
          [i.productId, i.locationId],
          [i.productId, i.toLocationId],
        ],
  )
  const orderIds = [...new Set(items.flatMap((i) => (i.event.type === 'pick' && i.event.orderId ? [i.event.orderId] : [])))]
  const poNumbers = [...new Set(items.flatMap((i) => (i.event.type === 'receive' && i.poNumber !== undefined ? [i.poNumber] : [])))]
  const reads = {
    levels: { statement: lockLevelsStatement(pairs), parse: parseLevels },
    // Read once the level locks are held, so it sees whatever the last holder (an admin's approval
    // in another process) committed for these events.
    settled: readSettled([...new Set(items.map((i) => i.event.eventId))], options.reconsidered ?? []),
    reservations: orderIds.length > 0 ? lockReservations(orderIds) : undefined,
    lots: { statement: lockLotsStatement(pairs), parse: parseLots },
    purchaseOrders: poNumbers.length > 0 ? lockPurchaseOrders(poNumbers) : undefined,
  }
  const wanted = Object.values(reads).flatMap((r) => (r ? [r.statement] : []))
  const results = await runStatements(conn, [...(options.begin ? [{ sql: 'START TRANSACTION' }] : []), ...wanted])
  // The results come in the order of `reads`, after the transaction's start.
  let next = options.begin ? 1 : 0
  const parsed = <T>(read: Read<T> | undefined) => (read ? read.parse(results[next++] as RowDataPacket[]) : (new Map() as T))
  return {
    levels: parsed(reads.levels),
    settled: parsed(reads.settled),
    reservations: parsed(reads.reservations),
    lots: parsed(reads.lots),
    purchaseOrders: parsed(reads.purchaseOrders),
  }
}

/** How each id was settled before; a held event an admin now decides on is `reconsidered`, not settled. */
function readSettled(ids: string[], reconsidered: string[]): Read<Map<string, SettledEvent>> {
  return {
    statement: {
      sql: `SELECT event_id, payload_hash, 'applied' AS status FROM stock_movements WHERE leg = 0 AND event_id IN (?)
     UNION ALL SELECT event_id, payload_hash, IF(status = 'pending', 'held', 'rejected') AS status FROM held_events
       WHERE event_id IN (?) AND status <> 'approved' AND event_id NOT IN (?)`,
      values: [ids, ids, reconsidered.length > 0 ? reconsidered : ['']],
    },
    parse: (rows) => new Map(rows.map((r) => [r.event_id as string, { hash: r.payload_hash as string, status: r.status } as SettledEvent])),
  }
}

/** Active reservations of the orders the batch's picks name (the index named, as for the lots). */
function lockReservations(orderIds: string[]): Read<Map<string, HeldReservation>> {
  return {
    statement: {
      sql: `SELECT id, order_id, product_id, location_id, qty FROM reservations FORCE INDEX (reservations_order_product_location)
     WHERE status = 'active' AND order_id IN (?) FOR UPDATE`,
      values: [orderIds],
    },
    parse: (rows) => new Map(rows.map((r) => [reservationKey(r.order_id, r.product_id, r.location_id), { id: Number(r.id), qty: r.qty }])),
  }
}

function lockPurchaseOrders(numbers: string[]): Read<Map<string, PurchaseOrderState>> {
  return {
    statement: {
      sql: `SELECT p.po_number, p.site, p.status, l.id, l.product_id, l.qty_ordered, l.qty_received
     FROM purchase_orders p LEFT JOIN po_lines l ON l.po_id = p.id WHERE p.po_number IN (?) ORDER BY p.id, l.id FOR UPDATE`,
      values: [numbers],
    },
    parse: parsePurchaseOrders,
  }
}

function parsePurchaseOrders(rows: RowDataPacket[]) {
  const orders = new Map<string, PurchaseOrderState>()
  for (const r of rows) {
    let po = orders.get(r.po_number)
    if (!po) orders.set(r.po_number, (po = { number: r.po_number, site: r.site, status: r.status, lines: new Map() }))
    if (r.id !== null) po.lines.set(r.product_id, { id: Number(r.id), ordered: r.qty_ordered, received: r.qty_received })
  }
  return orders
}
