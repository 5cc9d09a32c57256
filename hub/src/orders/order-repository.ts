import { randomUUID } from 'node:crypto'
import type { Pool } from 'mysql2/promise'
import type { Order } from '@wh/shared'
import { orders } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { inTransaction, REQUEST_TRANSACTION_TIMEOUT_MS } from '../db/transaction.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { lockSiteLevels } from '../stock/stock-locks.ts'
import { allocate, type OrderLine, type Shortage } from './allocate.ts'
import { createOrderChanges } from './order-changes.ts'
import { orderEvent } from './order-events.ts'
import { createOrderReads } from './order-reads.ts'
import { shiftReserved } from './order-release.ts'
import { resolveOrder } from './order-resolve.ts'

/** An answer to store and replay: the order, or the lines short (sent as an INSUFFICIENT_STOCK problem). */
export type StoredAnswer = { status: 201; body: Order } | { status: 409; body: { details: Shortage[] } }

export type ReserveOutcome =
  | { kind: 'answered'; answer: StoredAnswer; changed: NamedLevels; expiresAt?: Date; orderId?: string }
  | { kind: 'replayed'; answer: StoredAnswer }
  /** The client placed an order under this reference before: the same lines, or not. */
  | { kind: 'existing'; order: Order }
  | { kind: 'reference-conflict'; orderId: string }
  | { kind: 'key-conflict' }
  | { kind: 'in-flight' }
type NamedLevels = Awaited<ReturnType<typeof shiftReserved>>

/** Who places an order and under which of its own references (unique per client). */
export interface OrderClient {
  clientId: string
  externalRef?: string
}

const DUPLICATE_KEY = 1062
const LOCK_WAIT_TIMEOUT = 1205

/**
 * Orders and their reservations in MySQL. Every change locks the stock levels it touches in
 * (product, location) order, like the partition workers, and checks availability under those
 * locks, so no interleaving of orders and picks across hub instances can oversell; the CHECK
 * constraints on stock_levels are the last wall. Every change of an order owes its event
 * (webhook_messages) in its own transaction.
 */
export function createOrderRepository(pool: Pool, opts: { idempotencyWaitS: number }) {
  const reads = createOrderReads(pool)

  async function storedAnswer(key: string, requestHash: string): Promise<ReserveOutcome> {
    const [[row]] = await pool.query<Row<typeof orders, 'requestHash' | 'responseStatus' | 'responseBody'>[]>(
      `SELECT ${columns(orders, ['requestHash', 'responseStatus', 'responseBody'])} FROM orders WHERE idempotency_key = ?`,
      [key],
    )
    if (!row) return { kind: 'in-flight' }
    if (row.requestHash !== requestHash) return { kind: 'key-conflict' }
    return { kind: 'replayed', answer: { status: row.responseStatus, body: JSON.parse(row.responseBody) } as StoredAnswer }
  }

  async function byReference(client: OrderClient, requestHash: string): Promise<ReserveOutcome> {
    const found = await reads.byReference(client.clientId, client.externalRef!)
    // Gone again (its transaction rolled back after all): the caller may simply retry.
    if (!found) return { kind: 'in-flight' }
    return found.requestHash === requestHash
      ? { kind: 'existing', order: found.order }
      : { kind: 'reference-conflict', orderId: found.order.orderId }
  }

  return {
    /**
     * Reserves every line or none. The order row is inserted first: a second request with the same
     * key, or the same client's reference, waits on its unique index until the first commits, then
     * replays the stored answer or finds the order (or, if the first is still running after
     * `idempotencyWaitS`, is told so).
     */
    async reserve(
      key: string,
      requestHash: string,
      site: string,
      lines: OrderLine[],
      ttlMs: number,
      client: OrderClient,
    ): Promise<ReserveOutcome> {
      const orderId = randomUUID()
      try {
        return await inTransaction(
          pool,
          async (conn) => {
            // Only the key's insert waits briefly; the pooled connection gets its default back, whatever
            // the insert answered (a failed statement leaves the transaction usable).
            // The setting and the insert in one round trip (a reservation's statements are most of its CPU).
            try {
              await runStatements(conn, [
                { sql: 'SET SESSION innodb_lock_wait_timeout = ?', values: [opts.idempotencyWaitS] },
                {
                  sql: `INSERT INTO orders (id, idempotency_key, request_hash, site, status, response_status, response_body, client_id, external_ref)
                 VALUES (?, ?, ?, ?, 'pending', 0, '', ?, ?)`,
                  values: [orderId, key, requestHash, site, client.clientId, client.externalRef ?? null],
                },
              ])
            } finally {
              await conn.query('SET SESSION innodb_lock_wait_timeout = DEFAULT')
            }
            const levels = await lockSiteLevels(conn, site, [...new Set(lines.map((l) => l.productId))])
            const plan = allocate(lines, levels)
            if ('shortages' in plan) {
              const answer: StoredAnswer = { status: 409, body: { details: plan.shortages } }
              // A refused request places no order: its reference stays free for the retry after a restock.
              await conn.query(
                `UPDATE orders SET status = 'rejected', external_ref = NULL, response_status = ?, response_body = ? WHERE id = ?`,
                [answer.status, JSON.stringify(answer.body), orderId],
              )
              return { kind: 'answered' as const, answer, changed: [] }
            }
            const expiresAt = new Date(Date.now() + ttlMs)
            const order: Order = {
              orderId,
              site,
              status: 'pending',
              expiresAt: expiresAt.toISOString(),
              ...(client.externalRef ? { externalRef: client.externalRef } : {}),
              lines: lines.map((line) => ({
                sku: line.sku,
                qty: line.qty,
                reservations: plan.allocations.filter((a) => a.line === line).map((a) => ({ location: a.level.location, qty: a.qty })),
              })),
            }
            const answer: StoredAnswer = { status: 201, body: order }
            // The reservations, the order's answer and its event go with the levels' writes, in one
            // round trip: nothing here depends on what another of them answers.
            const changed = await shiftReserved(
              conn,
              plan.allocations.map((a) => ({ level: a.level, delta: a.qty })),
              [
                {
                  sql: 'INSERT INTO reservations (order_id, product_id, location_id, qty) VALUES ?',
                  values: [plan.allocations.map((a) => [orderId, a.level.productId, a.level.locationId, a.qty])],
                },
                {
                  sql: 'UPDATE orders SET expires_at = ?, response_status = 201, response_body = ? WHERE id = ?',
                  values: [expiresAt, JSON.stringify(order), orderId],
                },
                orderEvent(
                  'order.reserved',
                  { orderId, site, externalRef: client.externalRef ?? null, status: 'pending', fulfilment: null },
                  order.lines,
                ),
              ],
            )
            return { kind: 'answered' as const, answer, changed, expiresAt, orderId }
          },
          4,
          // The requester waits for this answer: a database that stopped answering gets it a 503.
          REQUEST_TRANSACTION_TIMEOUT_MS,
        )
      } catch (err) {
        const { errno, sqlMessage = '' } = err as { errno?: number; sqlMessage?: string }
        if (errno === DUPLICATE_KEY && sqlMessage.includes('orders_client_reference')) return byReference(client, requestHash)
        if (errno === DUPLICATE_KEY) return storedAnswer(key, requestHash)
        if (errno === LOCK_WAIT_TIMEOUT) return { kind: 'in-flight' }
        throw err
      }
    },

    /** Confirms, cancels or expires an order at most once (order-resolve.ts). */
    resolve: (orderId: string, action: 'confirm' | 'cancel' | 'expire', actor: string) => resolveOrder(pool, orderId, action, actor),

    ...createOrderChanges(pool),

    /** Pending orders past their expiry (their delayed job may have been lost with Redis). */
    async overdue(limit = 500): Promise<string[]> {
      const [rows] = await pool.query<Row<typeof orders, 'id'>[]>(
        `SELECT ${columns(orders, ['id'])} FROM orders WHERE status = 'pending' AND expires_at <= CURRENT_TIMESTAMP(3) ORDER BY expires_at LIMIT ?`,
        [limit],
      )
      return rows.map((r) => r.id)
    },

    get: reads.get,
    list: reads.list,
  }
}

export type OrderRepository = ReturnType<typeof createOrderRepository>
