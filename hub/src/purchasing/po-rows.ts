import type { PoolConnection } from 'mysql2/promise'
import type { PoStatus, PurchaseOrder } from '@wh/shared'
import type { Queryable } from '../db/connection.ts'
import { poLines, products, purchaseOrders } from '../db/schema/index.ts'
import { columns, type Aggregate, type Row } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { runStatements } from '../db/statements.ts'
import { auditStatement } from '../stock/audit-log.ts'

/** The statements the PO repository and lifecycle share: read, lock, describe and audit a PO. */

export interface PoRow {
  id: number
  poNumber: string
  site: string
  supplier: string
  status: PoStatus
  expectedAt: string | null
  createdAt: Date
  updatedAt: Date
}

export interface LineRow {
  id: number
  productId: number
  sku: string
  ordered: number
  received: number
}

export const DUPLICATE_KEY = 1062
/** A change made with no caller named (the API fills in its key's name), as from the CLI or the seed. */

const PO_KEYS = ['id', 'poNumber', 'site', 'supplier', 'status', 'createdAt', 'updatedAt'] as const
// The expected date is read as DATE_FORMAT text, the string drizzle's date column types.
const PO_COLUMNS = `${columns(purchaseOrders, PO_KEYS)}, DATE_FORMAT(expected_at, '%Y-%m-%d') AS expectedAt`
type PoTableRow = Row<typeof purchaseOrders, (typeof PO_KEYS)[number] | 'expectedAt'>

const toPo = (r: PoTableRow): PoRow => ({
  id: Number(r.id),
  poNumber: r.poNumber,
  site: r.site,
  supplier: r.supplier,
  // The table's CHECK holds it to these.
  status: r.status as PoStatus,
  expectedAt: r.expectedAt,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
})

/** The PO row, locked for the rest of the transaction; every admin change starts here, so they serialize per PO. */
export async function lockPo(conn: PoolConnection, poNumber: string): Promise<PoRow> {
  const [[row]] = await conn.query<PoTableRow[]>(`SELECT ${PO_COLUMNS} FROM purchase_orders WHERE po_number = ? FOR UPDATE`, [poNumber])
  if (!row) throw new HubError('PO_NOT_FOUND', poNumber)
  return toPo(row)
}

export async function findPo(db: Queryable, poNumber: string): Promise<PoRow | undefined> {
  const [[row]] = await db.query<PoTableRow[]>(`SELECT ${PO_COLUMNS} FROM purchase_orders WHERE po_number = ?`, [poNumber])
  return row ? toPo(row) : undefined
}

/**
 * A PO's lines in SKU order. With `lock`, the line rows are locked first (without the join: a
 * locking read over a join would lock the product rows too), so what a change checks against,
 * e.g. a line's received quantity, cannot move under it.
 */
export async function readLines(db: Queryable, poId: number, lock = false): Promise<LineRow[]> {
  if (lock) await db.query('SELECT id FROM po_lines WHERE po_id = ? FOR UPDATE', [poId])
  const [rows] = await db.query<(Row<typeof poLines, 'id' | 'productId' | 'qtyOrdered' | 'qtyReceived'> & Row<typeof products, 'sku'>)[]>(
    `SELECT ${columns(poLines, ['id', 'productId', 'qtyOrdered', 'qtyReceived'], 'l')}, ${columns(products, ['sku'], 'p')}
       FROM po_lines l JOIN products p ON p.id = l.product_id
      WHERE l.po_id = ? ORDER BY p.sku`,
    [poId],
  )
  return rows.map((r) => ({ id: Number(r.id), productId: r.productId, sku: r.sku, ordered: r.qtyOrdered, received: r.qtyReceived }))
}

export function describe(po: PoRow, lines: LineRow[]): PurchaseOrder {
  return {
    poNumber: po.poNumber,
    site: po.site,
    supplier: po.supplier,
    status: po.status,
    expectedAt: po.expectedAt,
    createdAt: po.createdAt.toISOString(),
    updatedAt: po.updatedAt.toISOString(),
    lines: lines.map((l) => ({ sku: l.sku, ordered: l.ordered, received: l.received, remaining: l.ordered - l.received })),
  }
}

/** What an audit row keeps of a PO: enough to see what changed, without timestamps. */
export const snapshot = (po: PoRow, lines?: LineRow[]) => ({
  poNumber: po.poNumber,
  site: po.site,
  supplier: po.supplier,
  status: po.status,
  expectedAt: po.expectedAt,
  ...(lines ? { lines: lines.map((l) => ({ sku: l.sku, ordered: l.ordered, received: l.received })) } : {}),
})

/**
 * Whether anything was ever received against the PO: a line's received count, or a ledger row or
 * lot carrying its number (stock received before the PO was entered, or while a receipt path did
 * not count lines, still counts).
 */
export async function hasReceipts(conn: PoolConnection, po: PoRow): Promise<boolean> {
  const [[row]] = await conn.query<Aggregate<'received'>[]>(
    `SELECT EXISTS(SELECT 1 FROM po_lines WHERE po_id = ? AND qty_received > 0)
         OR EXISTS(SELECT 1 FROM stock_movements WHERE po_number = ?)
         OR EXISTS(SELECT 1 FROM lots WHERE po_number = ?) AS received`,
    [po.id, po.poNumber, po.poNumber],
  )
  return Number(row!.received) === 1
}

/**
 * One audit row per admin change. The entity id is the PO's row id, not its number, so a PO's
 * history stays one thread across renumbers; the number is in `before`/`after`.
 */
export async function audit(
  conn: PoolConnection,
  entry: { poId: number; action: string; actor: string; reason?: string; before: unknown; after: unknown },
): Promise<void> {
  const { poId, ...change } = entry
  await runStatements(conn, [auditStatement([{ entity: 'purchase_order', entityId: String(poId), ...change }])])
}

/** Product ids by SKU for the given SKUs; an unknown one is a 422 naming every unknown SKU. */
export async function resolveSkus(conn: PoolConnection, skus: string[]): Promise<Map<string, number>> {
  const [rows] = await conn.query<Row<typeof products, 'id' | 'sku'>[]>(
    `SELECT ${columns(products, ['id', 'sku'])} FROM products WHERE sku IN (?)`,
    [skus],
  )
  const ids = new Map(rows.map((r) => [r.sku, r.id]))
  const unknown = skus.filter((s) => !ids.has(s))
  if (unknown.length > 0) throw new HubError('UNKNOWN_SKU', unknown.slice(0, 10).join(', ') + (unknown.length > 10 ? ', …' : ''))
  return ids
}

/** Refuses a SKU listed twice in one request. */
export function assertDistinct(skus: string[]): void {
  const seen = new Set<string>()
  for (const sku of skus) {
    if (seen.has(sku)) throw new HubError('DUPLICATE_SKU', sku)
    seen.add(sku)
  }
}
