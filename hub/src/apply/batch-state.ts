import type { PoolConnection, RowDataPacket } from 'mysql2/promise'
import { runStatements, type Statement } from '../db/statements.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import { levelKey, reservationKey, type BatchState, type HeldReservation, type Level, type SettledEvent } from './batch-plan.ts'
import type { LotState } from './lot-plan.ts'
import type { PurchaseOrderState } from './po-receipt.ts'

/** A read of the batch state: its statement, and what to make of the rows. */
interface Read<T> {
  statement: Statement
  parse: (rows: RowDataPacket[]) => T
}

/**
 * The reads a batch plans from, each one set-based statement, all sent in one round trip (with
 * the transaction's start, when `begin`). The locking ones follow the order every writer keeps
 * (levels, then reservations, then lots, then purchase orders), so writers in other partitions
 * and the API wait for each other rather than deadlock.
 */
export async function readBatchState(
  conn: PoolConnection,
  items: QueuedEvent[],
  options: { reconsidered?: string[]; begin?: boolean } = {},
): Promise<BatchState> {
  const pairs = levelPairs(items)
  const orderIds = [...new Set(items.flatMap((i) => (i.event.type === 'pick' && i.event.orderId ? [i.event.orderId] : [])))]
  const poNumbers = [...new Set(items.flatMap((i) => (i.event.type === 'receive' && i.poNumber !== undefined ? [i.poNumber] : [])))]
  const reads = {
    levels: lockLevels(pairs),
    // Read once the level locks are held, so it sees whatever the last holder (an admin's approval
    // in another process) committed for these events.
    settled: readSettled([...new Set(items.map((i) => i.event.eventId))], options.reconsidered ?? []),
    reservations: orderIds.length > 0 ? lockReservations(orderIds) : undefined,
    lots: lockLots(pairs),
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

/** Every (product, location) the batch touches, sorted: the fixed lock order. */
function levelPairs(items: QueuedEvent[]): [number, number][] {
  const pairs = new Map<string, [number, number]>()
  for (const i of items) {
    pairs.set(levelKey(i.productId, i.locationId), [i.productId, i.locationId])
    if (i.toLocationId !== undefined) pairs.set(levelKey(i.productId, i.toLocationId), [i.productId, i.toLocationId])
  }
  return [...pairs.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1])
}

function lockLevels(pairs: [number, number][]): Read<Map<string, Level>> {
  return {
    statement: {
      sql: `SELECT product_id, location_id, on_hand, reserved, version FROM stock_levels
     WHERE (product_id, location_id) IN (?) ORDER BY product_id, location_id FOR UPDATE`,
      values: [pairs],
    },
    parse: parseLevels,
  }
}

function parseLevels(rows: RowDataPacket[]) {
  const levels = new Map<string, Level>()
  for (const r of rows) {
    const l: Level = {
      productId: r.product_id,
      locationId: r.location_id,
      onHand: r.on_hand,
      reserved: r.reserved,
      version: Number(r.version),
    }
    levels.set(levelKey(l.productId, l.locationId), l)
  }
  return levels
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

/**
 * Locked like the levels, so no other writer changes them under the batch. A locking read locks
 * every row its plan reads, so the plan must be the (product, location) index: with `ORDER BY id`
 * and the statistics of a young table, MariaDB chose to scan the whole primary key instead, which
 * locked every lot and queued every partition's batch behind one another (seconds-long stalls at
 * 1,000 events/s). The order lots are used in comes from `fefo`, not from this read.
 */
function lockLots(pairs: [number, number][]): Read<Map<string, LotState[]>> {
  return {
    statement: {
      sql: `SELECT id, product_id, location_id, lot_code, DATE_FORMAT(expiry, '%Y-%m-%d') AS expiry, qty, po_number
     FROM lots FORCE INDEX (lots_product_location_code) WHERE (product_id, location_id) IN (?) FOR UPDATE`,
      values: [pairs],
    },
    parse: parseLots,
  }
}

function parseLots(rows: RowDataPacket[]) {
  const lots = new Map<string, LotState[]>()
  for (const r of rows) {
    const key = levelKey(r.product_id, r.location_id)
    const lot: LotState = {
      id: Number(r.id),
      productId: r.product_id,
      locationId: r.location_id,
      code: r.lot_code,
      expiry: r.expiry,
      qty: r.qty,
      poNumber: r.po_number,
    }
    lots.set(key, [...(lots.get(key) ?? []), lot])
  }
  return lots
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
