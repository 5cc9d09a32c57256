import type { Pool, PoolConnection } from 'mysql2/promise'
import { FulfilmentStatuses, type Order } from '@wh/shared'
import { runStatements, type Statement } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import { auditStatement } from '../stock/audit-log.ts'
import type { NamedLevel } from '../stock/stock-level.ts'
import { orderEvent, orderPickedStatements, type OrderFacts } from './order-events.ts'
import { ORDER_COLUMNS, toOrder, type OrderRow } from './order-reads.ts'
import { lockHeld, releaseHeld, type HeldRow } from './order-release.ts'

type Fulfilment = (typeof FulfilmentStatuses)[number]

/** Why a change was refused, with the order's status now (the route answers the matching problem). */
export type Refusal =
  | { refused: 'status'; status: Order['status'] }
  | { refused: 'not-confirmed'; status: Order['status'] }
  | { refused: 'backward'; fulfilment: string }
  | { refused: 'not-reserved'; details: { sku: string; requested: number; reserved: number }[] }

/** A line to cancel: how many units of which product (the route resolved the SKU). */
export interface CancelLine {
  sku: string
  productId: number
  qty: number
}

async function lockOrder(conn: PoolConnection, orderId: string) {
  const [[row]] = await conn.query<OrderRow[]>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ? FOR UPDATE`, [orderId])
  return row && row.responseStatus === 201 ? row : undefined
}
const facts = (row: OrderRow, changes: Partial<OrderFacts> = {}): OrderFacts => ({
  orderId: row.id,
  site: row.site,
  externalRef: row.externalRef,
  status: row.status,
  fulfilment: row.fulfilment,
  ...changes,
})

/**
 * Takes `qty` from the order's locked reservations of one product, the last allocated first (the
 * dock and reserve racks before the pick face the picker walks to).
 */
function takeFrom(held: HeldRow[], productId: number, qty: number) {
  const takes: { row: HeldRow; qty: number }[] = []
  let left = qty
  for (const row of held.filter((r) => r.productId === productId && r.qty > 0).reverse()) {
    if (left === 0) break
    const take = Math.min(left, row.qty)
    takes.push({ row, qty: take })
    left -= take
  }
  return takes
}

/** Shrinks the stored lines by what was cancelled; the reservations shown lose it last-first too. */
function shrinkLines(lines: Order['lines'], cancel: CancelLine[]): Order['lines'] {
  return lines.map((line) => {
    const qty = cancel.filter((c) => c.sku === line.sku).reduce((n, c) => n + c.qty, 0)
    if (qty === 0) return line
    let left = qty
    const reservations = [...line.reservations]
      .reverse()
      .map((r) => {
        const take = Math.min(left, r.qty)
        left -= take
        return { ...r, qty: r.qty - take }
      })
      .reverse()
      .filter((r) => r.qty > 0)
    return { ...line, qty: line.qty - qty, cancelled: (line.cancelled ?? 0) + qty, reservations }
  })
}

/** What happens to an order after it is placed and before it is resolved: fulfilment, partial cancel. */
export function createOrderChanges(pool: Pool) {
  return {
    /** Moves a confirmed order's fulfilment forward to packed or shipped; the same again changes nothing. */
    async fulfil(orderId: string, status: Exclude<Fulfilment, 'picked'>, actor: string) {
      return inTransaction(pool, async (conn) => {
        const row = await lockOrder(conn, orderId)
        if (!row) return undefined
        if (row.status !== 'confirmed') return { refused: 'not-confirmed', status: row.status } as Refusal
        const rank = (f: string | null) => (f ? FulfilmentStatuses.indexOf(f as Fulfilment) : -1)
        if (rank(row.fulfilment) === rank(status)) return { order: toOrder(row), changed: false }
        if (rank(row.fulfilment) > rank(status)) return { refused: 'backward', fulfilment: row.fulfilment! } as Refusal
        await runStatements(conn, [
          { sql: 'UPDATE orders SET fulfilment = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?', values: [status, orderId] },
          auditStatement([
            {
              entity: 'order',
              entityId: orderId,
              action: status,
              actor,
              before: { fulfilment: row.fulfilment },
              after: { fulfilment: status },
            },
          ]),
          orderEvent(`order.${status}`, facts(row, { fulfilment: status })),
        ])
        return { order: toOrder((await lockOrder(conn, orderId))!), changed: true }
      })
    },

    /**
     * Cancels units of some lines: gives back that much of their still reserved stock, shrinks the
     * lines, and cancels the order once no line has a unit left. All or nothing.
     */
    async cancelLines(orderId: string, cancel: CancelLine[], actor: string) {
      return inTransaction(pool, async (conn) => {
        const row = await lockOrder(conn, orderId)
        if (!row) return undefined
        if (row.status !== 'pending' && row.status !== 'confirmed') return { refused: 'status', status: row.status } as Refusal
        const { levels, held } = await lockHeld(conn, orderId, row.site, [...new Set(cancel.map((c) => c.productId))])
        const reservedOf = (productId: number) => held.filter((r) => r.productId === productId).reduce((n, r) => n + r.qty, 0)
        const wanted = new Map<number, CancelLine>()
        for (const c of cancel) wanted.set(c.productId, { ...c, qty: (wanted.get(c.productId)?.qty ?? 0) + c.qty })
        const short = [...wanted.values()].filter((c) => c.qty > reservedOf(c.productId))
        if (short.length > 0)
          return {
            refused: 'not-reserved',
            details: short.map((c) => ({ sku: c.sku, requested: c.qty, reserved: reservedOf(c.productId) })),
          } as Refusal
        const takes = [...wanted.values()].flatMap((c) => takeFrom(held, c.productId, c.qty))
        const changed: NamedLevel[] = await releaseHeld(conn, orderId, levels, takes, {
          reason: (qty) => `lines cancelled: ${qty} reserved released`,
          triggeredBy: 'order-cancel',
        })
        const placed = JSON.parse(row.responseBody) as Order
        const lines = shrinkLines(placed.lines, [...wanted.values()])
        const allGone = lines.every((l) => l.qty === 0)
        const status = allGone ? 'cancelled' : row.status
        const statements: Statement[] = [
          {
            sql: `UPDATE orders SET response_body = ?, status = ?, updated_at = CURRENT_TIMESTAMP(3)${allGone ? ', resolved_at = CURRENT_TIMESTAMP(3)' : ''} WHERE id = ?`,
            values: [JSON.stringify({ ...placed, lines }), status, orderId],
          },
          auditStatement([
            {
              entity: 'order',
              entityId: orderId,
              action: allGone ? 'cancel' : 'cancel-lines',
              actor,
              reason: allGone ? 'every line cancelled by the ordering site' : 'lines cancelled by the ordering site',
              before: { status: row.status, lines: placed.lines.map(({ sku, qty }) => ({ sku, qty })) },
              after: { status, lines: lines.map(({ sku, qty }) => ({ sku, qty })) },
            },
          ]),
          orderEvent('order.lines_cancelled', facts(row, { status }), lines),
        ]
        // The last units left were all picked already: the order is picked now.
        if (allGone) statements.push(orderEvent('order.cancelled', facts(row, { status })))
        else statements.push(...orderPickedStatements([orderId]))
        await runStatements(conn, statements)
        return { order: toOrder((await lockOrder(conn, orderId))!), changed }
      })
    },
  }
}
