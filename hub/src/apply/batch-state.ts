import type { PoolConnection } from 'mysql2/promise'
import { heldEvents, poLines, purchaseOrders, reservations, stockMovements } from '../db/schema/index.ts'
import { runStatements, type Statement } from '../db/statements.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import { reservationKey, type BatchState, type HeldReservation, type SettledEvent } from './batch-plan.ts'
import { lockLevelsStatement, lockLotsStatement, parseLevels, parseLots, type LevelPair } from '../stock/stock-locks.ts'
import type { PurchaseOrderState } from './po-receipt.ts'

/** A read of the batch state: its statement, and what to make of its rows. */
interface Read<T, R> {
  statement: Statement
  parse: (rows: R[]) => T
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
  const parsed = <T, R>(read: Read<T, R> | undefined) => (read ? read.parse(results[next++] as R[]) : (new Map() as T))
  return {
    levels: parsed(reads.levels),
    settled: parsed(reads.settled),
    reservations: parsed(reads.reservations),
    lots: parsed(reads.lots),
    purchaseOrders: parsed(reads.purchaseOrders),
  }
}

type SettledRow = Row<typeof stockMovements, 'eventId' | 'payloadHash'> & { status: SettledEvent['status'] }
const RESERVATION_KEYS = ['id', 'orderId', 'productId', 'locationId', 'qty'] as const
type ReservationKey = (typeof RESERVATION_KEYS)[number]
const PO_LINE_KEYS = ['id', 'productId', 'qtyOrdered', 'qtyReceived'] as const
/** A purchase order joined to its lines; the line's columns are null for an order without lines. */
type PurchaseOrderRow = Row<typeof purchaseOrders, 'poNumber' | 'site' | 'status'> &
  (Row<typeof poLines, (typeof PO_LINE_KEYS)[number]> | { [K in (typeof PO_LINE_KEYS)[number]]: null })

/** How each id was settled before; a held event an admin now decides on is `reconsidered`, not settled. */
function readSettled(ids: string[], reconsidered: string[]): Read<Map<string, SettledEvent>, SettledRow> {
  return {
    statement: {
      sql: `SELECT ${columns(stockMovements, ['eventId', 'payloadHash'])}, 'applied' AS status FROM stock_movements WHERE leg = 0 AND event_id IN (?)
     UNION ALL SELECT ${columns(heldEvents, ['eventId', 'payloadHash'])}, IF(status = 'pending', 'held', 'rejected') AS status FROM held_events
       WHERE event_id IN (?) AND status <> 'approved' AND event_id NOT IN (?)`,
      values: [ids, ids, reconsidered.length > 0 ? reconsidered : ['']],
    },
    // A movement not from a scan has no hash: any event under its id conflicts.
    parse: (rows) => new Map(rows.map((r) => [r.eventId, { hash: r.payloadHash ?? '', status: r.status }])),
  }
}

/** Active reservations of the orders the batch's picks name (the index named, as for the lots). */
function lockReservations(orderIds: string[]): Read<Map<string, HeldReservation>, Row<typeof reservations, ReservationKey>> {
  return {
    statement: {
      sql: `SELECT ${columns(reservations, RESERVATION_KEYS)} FROM reservations FORCE INDEX (reservations_order_product_location)
     WHERE status = 'active' AND order_id IN (?) FOR UPDATE`,
      values: [orderIds],
    },
    parse: (rows) => new Map(rows.map((r) => [reservationKey(r.orderId, r.productId, r.locationId), { id: Number(r.id), qty: r.qty }])),
  }
}

function lockPurchaseOrders(numbers: string[]): Read<Map<string, PurchaseOrderState>, PurchaseOrderRow> {
  return {
    statement: {
      sql: `SELECT ${columns(purchaseOrders, ['poNumber', 'site', 'status'], 'p')}, ${columns(poLines, PO_LINE_KEYS, 'l')}
     FROM purchase_orders p LEFT JOIN po_lines l ON l.po_id = p.id WHERE p.po_number IN (?) ORDER BY p.id, l.id FOR UPDATE`,
      values: [numbers],
    },
    parse: parsePurchaseOrders,
  }
}

function parsePurchaseOrders(rows: PurchaseOrderRow[]) {
  const orders = new Map<string, PurchaseOrderState>()
  for (const r of rows) {
    let po = orders.get(r.poNumber)
    if (!po) orders.set(r.poNumber, (po = { number: r.poNumber, site: r.site, status: r.status, lines: new Map() }))
    if (r.id !== null) po.lines.set(r.productId, { id: Number(r.id), ordered: r.qtyOrdered, received: r.qtyReceived })
  }
  return orders
}
