import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise'
import type { Acting } from '../auth/caller.ts'
import {
  MAX_PO_LINES,
  type CreatePurchaseOrder,
  type PurchaseOrder,
  type PurchaseOrderPage,
  type PoStatus,
  type PurchaseOrderQuery,
  type UpdatePurchaseOrder,
} from '@wh/shared'
import { purchaseOrders } from '../db/schema/index.ts'
import { containing } from '../db/like.ts'
import { inTransaction } from '../db/transaction.ts'
import { columns, type Aggregate, type Row } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import {
  assertDistinct,
  audit,
  describe,
  DUPLICATE_KEY,
  findPo,
  lockPo,
  readLines,
  resolveSkus,
  snapshot,
  type LineRow,
} from './po-rows.ts'

const SUMMARY_KEYS = ['poNumber', 'site', 'supplier', 'status', 'createdAt', 'updatedAt'] as const
/** A list row's PO columns; the expected date is read as DATE_FORMAT text beside them. */
type SummaryKey = (typeof SUMMARY_KEYS)[number] | 'expectedAt'

/**
 * Purchase orders and their lines: reads, creation and amendments. Each change is one transaction
 * that starts by locking the PO row and ends with its audit row, so a refused request writes
 * nothing. Receipts count lines up in their own transactions (the inventory apply path); the
 * conditional statements here keep `qty_received <= qty_ordered` true against them, and the
 * table's CHECK is the last wall.
 */
export function createPoRepository(pool: Pool) {
  /** Applies `change`'s line edits to `lines`, the PO's lines already locked by the caller. */
  async function applyLineChanges(conn: PoolConnection, poId: number, lines: LineRow[], change: UpdatePurchaseOrder): Promise<void> {
    const set = change.lines ?? []
    const remove = change.removeSkus ?? []
    if (set.length === 0 && remove.length === 0) return
    const bySku = new Map(lines.map((l) => [l.sku, l]))
    const added = set.filter((l) => !bySku.has(l.sku))
    const addedSkus = added.map((l) => l.sku)
    const productIds = added.length > 0 ? await resolveSkus(conn, addedSkus) : new Map<string, number>()

    for (const sku of remove) {
      const line = bySku.get(sku)
      if (!line) throw new HubError('NOT_ON_PO', sku)
      if (line.received > 0) throw new HubError('LINE_HAS_RECEIPTS', `${sku} has ${line.received} received`)
    }
    if (lines.length + added.length - remove.length < 1) throw new HubError('PO_NEEDS_A_LINE', 'cancel or delete it instead')
    if (lines.length + added.length - remove.length > MAX_PO_LINES) throw new HubError('TOO_MANY_LINES')

    for (const { sku, qty } of set) {
      const line = bySku.get(sku)
      if (!line) continue
      if (qty < line.received) throw new HubError('QTY_BELOW_RECEIVED', `${sku}: ${line.received} received, ${qty} asked`)
      // The line is locked, so this holds; the condition states the rule where it is enforced.
      await conn.query('UPDATE po_lines SET qty_ordered = ? WHERE id = ? AND qty_received <= ?', [qty, line.id, qty])
    }
    if (remove.length > 0) {
      const ids = remove.map((sku) => bySku.get(sku)!.id)
      await conn.query('DELETE FROM po_lines WHERE id IN (?) AND qty_received = 0', [ids])
    }
    if (added.length > 0) {
      await conn.query('INSERT INTO po_lines (po_id, product_id, qty_ordered) VALUES ?', [
        added.map((l) => [poId, productIds.get(l.sku)!, l.qty]),
      ])
    }
  }

  return {
    async get(poNumber: string): Promise<PurchaseOrder | undefined> {
      const po = await findPo(pool, poNumber)
      return po ? describe(po, await readLines(pool, po.id)) : undefined
    },

    /**
     * A page of POs in number order, with their line totals; `q` finds them by number, supplier or
     * a line's SKU. `sites`, when not null, are the only sites listed.
     */
    async list(query: PurchaseOrderQuery, sites: readonly string[] | null = null): Promise<PurchaseOrderPage> {
      const filters: [string, unknown[]][] = []
      if (query.status) filters.push(['po.status = ?', [query.status]])
      if (query.site) filters.push(['po.site = ?', [query.site]])
      if (sites) filters.push(['po.site IN (?)', [sites]])
      if (query.after) filters.push(['po.po_number > ?', [query.after]])
      if (query.q) {
        filters.push([
          `(LOWER(po.po_number) LIKE ? OR LOWER(po.supplier) LIKE ?
            OR EXISTS(SELECT 1 FROM po_lines ql JOIN products qp ON qp.id = ql.product_id WHERE ql.po_id = po.id AND qp.sku = ?))`,
          [containing(query.q), containing(query.q), query.q],
        ])
      }
      const where = filters.map(([clause]) => clause)
      const params = filters.flatMap(([, values]) => values)
      const [rows] = await pool.query<(Row<typeof purchaseOrders, SummaryKey> & Aggregate<'line_count' | 'ordered' | 'received'>)[]>(
        `SELECT ${columns(purchaseOrders, SUMMARY_KEYS, 'po')}, DATE_FORMAT(po.expected_at, '%Y-%m-%d') AS expectedAt, COUNT(l.id) AS line_count,
                COALESCE(SUM(l.qty_ordered), 0) AS ordered, COALESCE(SUM(l.qty_received), 0) AS received
           FROM purchase_orders po LEFT JOIN po_lines l ON l.po_id = po.id
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          GROUP BY po.id ORDER BY po.po_number LIMIT ?`,
        [...params, query.limit + 1],
      )
      const page = rows.slice(0, query.limit)
      return {
        items: page.map((r) => ({
          poNumber: r.poNumber,
          site: r.site,
          supplier: r.supplier,
          // The table's CHECK holds it to these.
          status: r.status as PoStatus,
          expectedAt: r.expectedAt,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
          lineCount: Number(r.line_count),
          ordered: Number(r.ordered),
          received: Number(r.received),
        })),
        next: rows.length > query.limit ? page[page.length - 1]!.poNumber : null,
      }
    },

    async create(input: CreatePurchaseOrder & Acting): Promise<PurchaseOrder> {
      assertDistinct(input.lines.map((l) => l.sku))
      return inTransaction(pool, async (conn) => {
        const [[site]] = await conn.query<RowDataPacket[]>('SELECT 1 FROM sites WHERE code = ? AND active', [input.site])
        if (!site) throw new HubError('UNKNOWN_SITE', input.site)
        const productIds = await resolveSkus(
          conn,
          input.lines.map((l) => l.sku),
        )
        let poId: number
        try {
          const [result] = await conn.query<{ insertId: number } & RowDataPacket[]>(
            'INSERT INTO purchase_orders (po_number, site, supplier, expected_at) VALUES (?, ?, ?, ?)',
            [input.poNumber, input.site, input.supplier ?? '', input.expectedAt ?? null],
          )
          poId = Number(result.insertId)
        } catch (err) {
          if ((err as { errno?: number }).errno === DUPLICATE_KEY) throw new HubError('PO_NUMBER_TAKEN', input.poNumber)
          throw err
        }
        await conn.query('INSERT INTO po_lines (po_id, product_id, qty_ordered) VALUES ?', [
          input.lines.map((l) => [poId, productIds.get(l.sku)!, l.qty]),
        ])
        const created = await lockPo(conn, input.poNumber)
        const lines = await readLines(conn, poId)
        await audit(conn, { poId, action: 'create', actor: input.actor, before: null, after: snapshot(created, lines) })
        return describe(created, lines)
      })
    },

    /** Supplier, expected date and lines of an open PO; refused whole if any part is refused. */
    async update(poNumber: string, change: UpdatePurchaseOrder & Acting): Promise<PurchaseOrder> {
      if (change.supplier === undefined && change.expectedAt === undefined && !change.lines && !change.removeSkus) {
        throw new HubError('NOTHING_TO_CHANGE', 'give supplier, expectedAt, lines or removeSkus')
      }
      assertDistinct([...(change.lines ?? []).map((l) => l.sku), ...(change.removeSkus ?? [])])
      return inTransaction(pool, async (conn) => {
        const po = await lockPo(conn, poNumber)
        if (po.status !== 'open') throw new HubError('PO_NOT_OPEN', `${poNumber} is ${po.status}`)
        const locked = await readLines(conn, po.id, true)
        const before = snapshot(po, locked)
        await applyLineChanges(conn, po.id, locked, change)
        await conn.query(
          `UPDATE purchase_orders SET supplier = COALESCE(?, supplier), expected_at = IF(?, ?, expected_at),
                  updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?`,
          [change.supplier ?? null, change.expectedAt !== undefined, change.expectedAt ?? null, po.id],
        )
        const [updated, lines] = [await lockPo(conn, poNumber), await readLines(conn, po.id)]
        await audit(conn, { poId: po.id, action: 'update', actor: change.actor, before, after: snapshot(updated, lines) })
        return describe(updated, lines)
      })
    },
  }
}

export type PoRepository = ReturnType<typeof createPoRepository>
