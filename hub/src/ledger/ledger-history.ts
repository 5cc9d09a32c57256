import type { Pool } from 'mysql2/promise'
import type { HistoryPage, InventoryAsOf, LotStock } from '@wh/shared'
// Aliased: `locations` is also the name of stockAt's answer field.
import { locations as locationsTable, lots, products } from '../db/schema/index.ts'
import { columns, type Aggregate, type Row } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { MOVEMENT_COLUMNS, MOVEMENT_JOINS, toMovement, type MovementRow } from './movement-rows.ts'

type LotRow = Row<typeof lots, 'lotCode' | 'expiry' | 'qty' | 'poNumber' | 'receivedAt'> & Row<typeof locationsTable, 'code'>

/**
 * Reads the ledger: a product's movements newest first, its stock at a site at a past instant
 * summed from the ledger (the covering index movements_level_sum answers that without reading
 * rows), and its lots now.
 */
export function createLedgerHistory(pool: Pool) {
  /** The product, with its reorder threshold at `site` (the site's own, else the product's; null: the product's). */
  async function product(sku: string, site: string | null) {
    const [[row]] = await pool.query<(Row<typeof products, 'id' | 'sku' | 'name'> & Aggregate<'threshold'>)[]>(
      `SELECT ${columns(products, ['id', 'sku', 'name'], 'p')}, COALESCE(t.threshold, p.reorder_threshold) AS threshold
         FROM products p LEFT JOIN reorder_thresholds t ON t.product_id = p.id AND t.site = ? WHERE p.sku = ?`,
      [site, sku],
    )
    if (!row) throw new HubError('NOT_FOUND', `no product ${sku}`)
    return { id: row.id, sku: row.sku, name: row.name, reorderThreshold: Number(row.threshold) }
  }

  return {
    /**
     * One page of a product's movements older than `before`, at `sites` only (every site when
     * undefined), optionally at one location code (at each of those sites that has it).
     */
    async history(
      sku: string,
      query: { location?: string; limit: number; before?: number },
      sites: readonly string[] | undefined,
    ): Promise<HistoryPage> {
      const p = await product(sku, null)
      const where = ['m.product_id = ?']
      const params: unknown[] = [p.id]
      if (sites) {
        where.push('l.site IN (?)')
        params.push(sites)
      }
      if (query.location !== undefined) {
        const [found] = await pool.query<Row<typeof locationsTable, 'id'>[]>(
          `SELECT ${columns(locationsTable, ['id'])} FROM locations WHERE code = ?${sites ? ' AND site IN (?)' : ''}`,
          [query.location, ...(sites ? [sites] : [])],
        )
        if (found.length === 0) throw new HubError('NOT_FOUND', `no location ${query.location}`)
        where.push('m.location_id IN (?)')
        params.push(found.map((r) => r.id))
      }
      if (query.before !== undefined) {
        where.push('m.id < ?')
        params.push(query.before)
      }
      // One row more than asked says whether an older page exists.
      const [rows] = await pool.query<MovementRow[]>(
        `SELECT ${MOVEMENT_COLUMNS} FROM stock_movements m ${MOVEMENT_JOINS}
          WHERE ${where.join(' AND ')} ORDER BY m.id DESC LIMIT ?`,
        [...params, query.limit + 1],
      )
      const items = rows.slice(0, query.limit).map(toMovement)
      return { sku: p.sku, items, next: rows.length > query.limit ? items.at(-1)!.id : null }
    },

    /**
     * On hand per location of `site` at `at`, from the ledger. Reserved is not historical
     * (reservations are not ledger rows), so it is not given. `now` is passed in so the future
     * check is testable.
     */
    async stockAt(site: string, sku: string, at: Date, now = new Date()): Promise<InventoryAsOf> {
      if (at.getTime() > now.getTime()) throw new HubError('AT_IN_FUTURE', `${at.toISOString()} is after ${now.toISOString()}`)
      const p = await product(sku, site)
      const [rows] = await pool.query<(Row<typeof locationsTable, 'code'> & Aggregate<'on_hand'>)[]>(
        `SELECT ${columns(locationsTable, ['code'], 'l')}, t.on_hand FROM (
           SELECT location_id, SUM(qty_delta) AS on_hand FROM stock_movements
            WHERE product_id = ? AND created_at <= ? GROUP BY location_id
         ) t JOIN locations l ON l.id = t.location_id WHERE l.site = ? ORDER BY l.code`,
        [p.id, at, site],
      )
      const locations: InventoryAsOf['locations'] = {}
      let onHand = 0
      for (const r of rows) {
        // A code is unique within a site, so each is one location.
        locations[r.code] = { onHand: Number(r.on_hand) }
        onHand += Number(r.on_hand)
      }
      return { sku: p.sku, site, name: p.name, at: at.toISOString(), onHand, reorderThreshold: p.reorderThreshold, locations }
    },

    /** The lots holding stock of the product at `site`, by location, in the order picks take them (FEFO, then oldest). */
    async lotsAt(site: string, sku: string): Promise<LotStock> {
      const p = await product(sku, site)
      // The expiry as text, as drizzle's date column types it (stock/stock-locks.ts reads it alike).
      const [rows] = await pool.query<LotRow[]>(
        `SELECT ${columns(locationsTable, ['code'], 'l')}, ${columns(lots, ['lotCode', 'qty', 'poNumber', 'receivedAt'], 't')},
                DATE_FORMAT(t.expiry, '%Y-%m-%d') AS expiry
           FROM lots t JOIN locations l ON l.id = t.location_id
          WHERE t.product_id = ? AND l.site = ? AND t.qty > 0 ORDER BY l.code, t.expiry IS NULL, t.expiry, t.id`,
        [p.id, site],
      )
      return {
        sku: p.sku,
        site,
        lots: rows.map((r) => ({
          location: r.code,
          lot: r.lotCode,
          expiry: r.expiry,
          qty: r.qty,
          poNumber: r.poNumber,
          receivedAt: r.receivedAt.toISOString(),
        })),
      }
    },
  }
}

export type LedgerHistory = ReturnType<typeof createLedgerHistory>
