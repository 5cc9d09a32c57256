import { randomUUID } from 'node:crypto'
import type { Pool, PoolConnection } from 'mysql2/promise'
import type { Order } from '@wh/shared'
import { orders, reservations } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { inTransaction, REQUEST_TRANSACTION_TIMEOUT_MS } from '../db/transaction.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { auditStatement } from '../stock/audit-log.ts'
import { insertMovements, writeLevels } from '../stock/ledger-writes.ts'
import { levelKey, type NamedLevel } from '../stock/stock-level.ts'
import { lockSiteLevels } from '../stock/stock-locks.ts'
import { allocate, type OrderLine, type Shortage } from './allocate.ts'

/** An answer to store and replay: the order, or the lines short (sent as an INSUFFICIENT_STOCK problem). */
export type StoredAnswer = { status: 201; body: Order } | { status: 409; body: { details: Shortage[] } }

export type ReserveOutcome =
  | { kind: 'answered'; answer: StoredAnswer; changed: NamedLevel[]; expiresAt?: Date; orderId?: string }
  | { kind: 'replayed'; answer: StoredAnswer }
  | { kind: 'key-conflict' }
  | { kind: 'in-flight' }

/** An order's active reservation, as a release locks it. */
type HeldRow = Row<typeof reservations, 'productId' | 'locationId' | 'qty'>

const DUPLICATE_KEY = 1062
const LOCK_WAIT_TIMEOUT = 1205

/**
 * Orders and their reservations in MySQL. Every change locks the stock levels it touches in
 * (product, location) order, like the partition workers, and checks availability under those
 * locks, so no interleaving of orders and picks across hub instances can oversell; the CHECK
 * constraints on stock_levels are the last wall.
 */
export function createOrderRepository(pool: Pool, opts: { idempotencyWaitS: number }) {
  /** Adds `delta` to the reserved stock of each locked level; returns the levels as written. */
  async function shiftReserved(conn: PoolConnection, changes: { level: NamedLevel; delta: number }[]) {
    const after = new Map<string, NamedLevel>()
    for (const { level, delta } of changes) {
      const key = levelKey(level.productId, level.locationId)
      const now = after.get(key) ?? { ...level, version: level.version + 1 }
      after.set(key, { ...now, reserved: now.reserved + delta })
    }
    const changed = [...after.values()]
    if (changed.length > 0) await runStatements(conn, writeLevels(changed))
    return changed
  }

  async function storedAnswer(key: string, requestHash: string): Promise<ReserveOutcome> {
    const [[row]] = await pool.query<Row<typeof orders, 'requestHash' | 'responseStatus' | 'responseBody'>[]>(
      `SELECT ${columns(orders, ['requestHash', 'responseStatus', 'responseBody'])} FROM orders WHERE idempotency_key = ?`,
      [key],
    )
    if (!row) return { kind: 'in-flight' }
    if (row.requestHash !== requestHash) return { kind: 'key-conflict' }
    return { kind: 'replayed', answer: { status: row.responseStatus, body: JSON.parse(row.responseBody) } as StoredAnswer }
  }

  return {
    /**
     * Reserves every line or none. The order row is inserted first: a second request with the same
     * key waits on its unique index until the first commits, then replays the stored answer (or,
     * if the first is still running after `idempotencyWaitS`, is told so).
     */
    async reserve(key: string, requestHash: string, site: string, lines: OrderLine[], ttlMs: number): Promise<ReserveOutcome> {
      const orderId = randomUUID()
      try {
        return await inTransaction(
          pool,
          async (conn) => {
            // Only the key's insert waits briefly; the pooled connection gets its default back, whatever
            // the insert answered (a failed statement leaves the transaction usable).
            await conn.query('SET SESSION innodb_lock_wait_timeout = ?', [opts.idempotencyWaitS])
            try {
              await conn.query(
                `INSERT INTO orders (id, idempotency_key, request_hash, site, status, response_status, response_body) VALUES (?, ?, ?, ?, 'pending', 0, '')`,
                [orderId, key, requestHash, site],
              )
            } finally {
              await conn.query('SET SESSION innodb_lock_wait_timeout = DEFAULT')
            }
            const levels = await lockSiteLevels(conn, site, [...new Set(lines.map((l) => l.productId))])
            const plan = allocate(lines, levels)
            if ('shortages' in plan) {
              const answer: StoredAnswer = {
                status: 409,
                body: { details: plan.shortages },
              }
              await conn.query(`UPDATE orders SET status = 'rejected', response_status = ?, response_body = ? WHERE id = ?`, [
                answer.status,
                JSON.stringify(answer.body),
                orderId,
              ])
              return { kind: 'answered' as const, answer, changed: [] }
            }
            const expiresAt = new Date(Date.now() + ttlMs)
            await conn.query('INSERT INTO reservations (order_id, product_id, location_id, qty) VALUES ?', [
              plan.allocations.map((a) => [orderId, a.level.productId, a.level.locationId, a.qty]),
            ])
            const changed = await shiftReserved(
              conn,
              plan.allocations.map((a) => ({ level: a.level, delta: a.qty })),
            )
            const order: Order = {
              orderId,
              site,
              status: 'pending',
              expiresAt: expiresAt.toISOString(),
              lines: lines.map((line) => ({
                sku: line.sku,
                qty: line.qty,
                reservations: plan.allocations.filter((a) => a.line === line).map((a) => ({ location: a.level.location, qty: a.qty })),
              })),
            }
            const answer: StoredAnswer = { status: 201, body: order }
            await conn.query('UPDATE orders SET expires_at = ?, response_status = 201, response_body = ? WHERE id = ?', [
              expiresAt,
              JSON.stringify(order),
              orderId,
            ])
            return { kind: 'answered' as const, answer, changed, expiresAt, orderId }
          },
          4,
          // The requester waits for this answer: a database that stopped answering gets it a 503.
          REQUEST_TRANSACTION_TIMEOUT_MS,
        )
      } catch (err) {
        const errno = (err as { errno?: number }).errno
        if (errno === DUPLICATE_KEY) return storedAnswer(key, requestHash)
        if (errno === LOCK_WAIT_TIMEOUT) return { kind: 'in-flight' }
        throw err
      }
    },

    /**
     * Ends a pending (or, to cancel, confirmed) order at most once. Releasing gives its still
     * reserved stock back; returns the order's status before, and the levels it changed.
     */
    async resolve(orderId: string, action: 'confirm' | 'cancel' | 'expire', actor: string) {
      return inTransaction(pool, async (conn) => {
        const [[order]] = await conn.query<Row<typeof orders, 'status' | 'site' | 'expiresAt'>[]>(
          `SELECT ${columns(orders, ['status', 'site', 'expiresAt'])} FROM orders WHERE id = ? FOR UPDATE`,
          [orderId],
        )
        if (!order || order.status === 'rejected') return { found: false as const }
        const before = order.status as Order['status']
        // A pending order always has its expiry (set in the transaction that reserved it).
        const overdue = before === 'pending' && order.expiresAt!.getTime() <= Date.now()
        const next = (): Order['status'] | undefined => {
          if (action === 'cancel') return before === 'pending' || before === 'confirmed' ? 'cancelled' : undefined
          // Past its time a pending order expires, whoever asks (the job, or a late confirm).
          if (overdue) return 'expired'
          return action === 'confirm' && before === 'pending' ? 'confirmed' : undefined
        }
        const after = next()
        const release = after === 'cancelled' || after === 'expired'
        if (!after) return { found: true as const, before, after: before, changed: [] as NamedLevel[] }

        let changed: NamedLevel[] = []
        if (release) {
          // Which levels the order holds never changes; how much it holds may (picks consume it), so
          // the rows are read again under lock once the levels are locked, as the workers lock them.
          const [keys] = await conn.query<Row<typeof reservations, 'productId'>[]>(
            `SELECT DISTINCT ${columns(reservations, ['productId'])} FROM reservations WHERE order_id = ? AND status = 'active'`,
            [orderId],
          )
          const levels =
            keys.length > 0
              ? await lockSiteLevels(
                  conn,
                  order.site,
                  keys.map((r) => r.productId),
                  { all: true },
                )
              : []
          const [held] = await conn.query<HeldRow[]>(
            // The index named: a primary-key scan would lock every reservation (see batch-state's lockLots).
            `SELECT ${columns(reservations, ['productId', 'locationId', 'qty'])} FROM reservations FORCE INDEX (reservations_order_product_location)
             WHERE order_id = ? AND status = 'active' ORDER BY id FOR UPDATE`,
            [orderId],
          )
          if (held.length > 0) {
            const levelOf = (r: HeldRow) => levels.find((l) => l.productId === r.productId && l.locationId === r.locationId)!
            const released = held.filter((r) => r.qty > 0)
            changed = await shiftReserved(
              conn,
              released.map((r) => ({ level: levelOf(r), delta: -r.qty })),
            )
            await conn.query(`UPDATE reservations SET status = 'released' WHERE order_id = ? AND status = 'active'`, [orderId])
            // The compensating movement: on hand does not move, but the ledger shows when and why
            // the reserved units went back, beside the picks and receipts of the same stock.
            if (released.length > 0) {
              await runStatements(conn, [
                insertMovements(
                  released.map((r) => ({
                    eventId: randomUUID(),
                    leg: 0,
                    type: 'release',
                    productId: r.productId,
                    locationId: r.locationId,
                    qtyDelta: 0,
                    onHandAfter: levelOf(r).onHand,
                    orderId,
                    reason: `${after === 'cancelled' ? 'cancelled' : 'expired'}: ${r.qty} reserved released`,
                    triggeredBy: after === 'cancelled' ? 'order-cancel' : 'order-expiry',
                  })),
                ),
              ])
            }
          }
          await runStatements(conn, [
            auditStatement([
              {
                entity: 'order',
                entityId: orderId,
                action: after === 'cancelled' ? 'cancel' : 'expire',
                actor,
                reason: after === 'cancelled' ? 'cancelled by the ordering site' : 'reservation expired unconfirmed',
                before: { status: before, reserved: held.map((r) => ({ productId: r.productId, locationId: r.locationId, qty: r.qty })) },
                after: { status: after },
              },
            ]),
          ])
        }
        await conn.query('UPDATE orders SET status = ?, resolved_at = CURRENT_TIMESTAMP(3) WHERE id = ?', [after, orderId])
        return { found: true as const, before, after, changed }
      })
    },

    /** Pending orders past their expiry (their delayed job may have been lost with Redis). */
    async overdue(limit = 500): Promise<string[]> {
      const [rows] = await pool.query<Row<typeof orders, 'id'>[]>(
        `SELECT ${columns(orders, ['id'])} FROM orders WHERE status = 'pending' AND expires_at <= CURRENT_TIMESTAMP(3) ORDER BY expires_at LIMIT ?`,
        [limit],
      )
      return rows.map((r) => r.id)
    },

    async get(orderId: string): Promise<Order | undefined> {
      const [[order]] = await pool.query<Row<typeof orders, 'status' | 'responseStatus' | 'responseBody'>[]>(
        `SELECT ${columns(orders, ['status', 'responseStatus', 'responseBody'])} FROM orders WHERE id = ?`,
        [orderId],
      )
      if (!order || order.responseStatus !== 201) return undefined
      const placed = JSON.parse(order.responseBody) as Order
      return { ...placed, status: order.status as Order['status'] }
    },
  }
}

export type OrderRepository = ReturnType<typeof createOrderRepository>
