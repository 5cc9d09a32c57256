import type { PoolConnection, RowDataPacket } from 'mysql2/promise'
import type { QueuedEvent } from '../partitions/queued-event.ts'
import { levelKey, reservationKey, type BatchState, type HeldReservation, type Level, type SettledEvent } from './apply-plan.ts'
import type { LotState } from './lot-plan.ts'
import type { PurchaseOrderState } from './po-receipt.ts'

/**
 * The reads a batch plans from, each one set-based statement. The locking ones follow the order
 * every writer keeps (levels, then reservations, then lots, then purchase orders), so writers in
 * other partitions and the API wait for each other rather than deadlock.
 */
export async function readBatchState(conn: PoolConnection, items: QueuedEvent[], reconsidered: string[] = []): Promise<BatchState> {
  const pairs = levelPairs(items)
  const levels = await lockLevels(conn, pairs)
  // Read once the level locks are held, so it sees whatever the last holder (an admin's approval
  // in another process) committed for these events.
  const settled = await readSettled(conn, [...new Set(items.map((i) => i.event.eventId))], reconsidered)
  const reservations = await lockReservations(conn, items)
  const lots = await lockLots(conn, pairs)
  const purchaseOrders = await lockPurchaseOrders(conn, items)
  return { settled, levels, reservations, lots, purchaseOrders }
}

/** How each id was settled before; a held event an admin now decides on is `reconsidered`, not settled. */
async function readSettled(conn: PoolConnection, ids: string[], reconsidered: string[]) {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT event_id, payload_hash, 'applied' AS status FROM stock_movements WHERE leg = 0 AND event_id IN (?)
     UNION ALL SELECT event_id, payload_hash, IF(status = 'pending', 'held', 'rejected') AS status FROM held_events
       WHERE event_id IN (?) AND status <> 'approved' AND event_id NOT IN (?)`,
    [ids, ids, reconsidered.length > 0 ? reconsidered : ['']],
  )
  return new Map(rows.map((r) => [r.event_id as string, { hash: r.payload_hash as string, status: r.status } as SettledEvent]))
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

async function lockLevels(conn: PoolConnection, pairs: [number, number][]) {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT product_id, location_id, on_hand, reserved, version FROM stock_levels
     WHERE (product_id, location_id) IN (?) ORDER BY product_id, location_id FOR UPDATE`,
    [pairs],
  )
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

/** Active reservations of the orders the batch's picks name. */
async function lockReservations(conn: PoolConnection, items: QueuedEvent[]) {
  const orderIds = [...new Set(items.flatMap((i) => (i.event.type === 'pick' && i.event.orderId ? [i.event.orderId] : [])))]
  const held = new Map<string, HeldReservation>()
  if (orderIds.length === 0) return held
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT id, order_id, product_id, location_id, qty FROM reservations WHERE status = 'active' AND order_id IN (?) ORDER BY id FOR UPDATE`,
    [orderIds],
  )
  for (const r of rows) held.set(reservationKey(r.order_id, r.product_id, r.location_id), { id: Number(r.id), qty: r.qty })
  return held
}

/** Locked like the levels, so no other writer changes them under the batch. */
async function lockLots(conn: PoolConnection, pairs: [number, number][]) {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT id, product_id, location_id, lot_code, DATE_FORMAT(expiry, '%Y-%m-%d') AS expiry, qty, po_number FROM lots
     WHERE (product_id, location_id) IN (?) ORDER BY id FOR UPDATE`,
    [pairs],
  )
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

async function lockPurchaseOrders(conn: PoolConnection, items: QueuedEvent[]) {
  const numbers = [...new Set(items.flatMap((i) => (i.event.type === 'receive' && i.poNumber !== undefined ? [i.poNumber] : [])))]
  const orders = new Map<string, PurchaseOrderState>()
  if (numbers.length === 0) return orders
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT p.po_number, p.site, p.status, l.id, l.product_id, l.qty_ordered, l.qty_received
     FROM purchase_orders p LEFT JOIN po_lines l ON l.po_id = p.id WHERE p.po_number IN (?) ORDER BY p.id, l.id FOR UPDATE`,
    [numbers],
  )
  for (const r of rows) {
    let po = orders.get(r.po_number)
    if (!po) orders.set(r.po_number, (po = { number: r.po_number, site: r.site, status: r.status, lines: new Map() }))
    if (r.id !== null) po.lines.set(r.product_id, { id: Number(r.id), ordered: r.qty_ordered, received: r.qty_received })
  }
  return orders
}
