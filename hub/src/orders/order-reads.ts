import type { Pool } from 'mysql2/promise'
import type { Order, OrderListQuery } from '@wh/shared'
import { orders } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'

const ORDER_KEYS = [
  'id',
  'site',
  'status',
  'responseStatus',
  'responseBody',
  'externalRef',
  'fulfilment',
  'createdAt',
  'updatedAt',
] as const
export type OrderRow = Row<typeof orders, (typeof ORDER_KEYS)[number]>
export const ORDER_COLUMNS = columns(orders, ORDER_KEYS)

/**
 * The order as it stands: the lines as placed (less what partial cancels took, kept in the stored
 * body), with its status, reference and fulfilment now.
 */
export function toOrder(row: OrderRow): Order {
  const placed = JSON.parse(row.responseBody) as Order
  return {
    ...placed,
    status: row.status as Order['status'],
    externalRef: row.externalRef,
    fulfilment: row.fulfilment as Order['fulfilment'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** A page's cursor: the last order's creation time and id (newest first), opaque to clients. */
const encodeCursor = (row: OrderRow) => Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url')
function decodeCursor(cursor: string): [Date, string] | undefined {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const when = new Date(at ?? '')
  return id && !Number.isNaN(when.getTime()) ? [when, id] : undefined
}

export interface ListScope {
  /** The sites the caller may see; null for every site. */
  sites: readonly string[] | null
  /** Set to list the caller's own orders only. */
  clientId?: string
}

/** Reads of placed orders (rejected requests are no orders). */
export function createOrderReads(pool: Pool) {
  return {
    async get(orderId: string): Promise<Order | undefined> {
      const [[row]] = await pool.query<OrderRow[]>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`, [orderId])
      return row && row.responseStatus === 201 ? toOrder(row) : undefined
    },

    /** One page, newest first, filtered; `undefined` for a cursor this hub did not make. */
    async list(query: OrderListQuery, scope: ListScope): Promise<{ items: Order[]; next: string | null } | undefined> {
      const where = ["status <> 'rejected'", 'response_status = 201']
      const values: unknown[] = []
      const add = (sql: string, ...v: unknown[]) => {
        where.push(sql)
        values.push(...v)
      }
      if (query.site !== undefined) add('site = ?', query.site)
      if (scope.sites) add('site IN (?)', scope.sites.length > 0 ? scope.sites : [''])
      if (query.status) add('status = ?', query.status)
      if (query.fulfilment === 'none') add('fulfilment IS NULL')
      else if (query.fulfilment) add('fulfilment = ?', query.fulfilment)
      if (query.from) add('created_at >= ?', new Date(query.from))
      if (query.to) add('created_at < ?', new Date(query.to))
      if (query.externalRef !== undefined) add('external_ref = ?', query.externalRef)
      if (scope.clientId !== undefined) add('client_id = ?', scope.clientId)
      if (query.after) {
        const cursor = decodeCursor(query.after)
        if (!cursor) return undefined
        add('(created_at < ? OR (created_at = ? AND id < ?))', cursor[0], cursor[0], cursor[1])
      }
      const [rows] = await pool.query<OrderRow[]>(
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...values, query.limit + 1],
      )
      const page = rows.slice(0, query.limit)
      return { items: page.map(toOrder), next: rows.length > query.limit ? encodeCursor(page.at(-1)!) : null }
    },

    /** The order a client placed under this reference, with the hash of the request that placed it. */
    async byReference(clientId: string, externalRef: string) {
      const [[row]] = await pool.query<(OrderRow & { requestHash: string })[]>(
        `SELECT ${ORDER_COLUMNS}, ${columns(orders, ['requestHash'])} FROM orders WHERE client_id = ? AND external_ref = ?`,
        [clientId, externalRef],
      )
      return row && row.responseStatus === 201 ? { order: toOrder(row), requestHash: row.requestHash } : undefined
    },
  }
}
