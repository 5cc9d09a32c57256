import type { Pool } from 'mysql2/promise'
import { locations, products, stockLevels } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import type { StockPublisher } from '../stock/stock-publisher.ts'

type LevelRow = Row<typeof stockLevels, 'productId' | 'locationId' | 'onHand' | 'reserved' | 'version'> &
  Row<typeof products, 'sku'> &
  Row<typeof locations, 'code'>

/**
 * After a location's catalog change (made unreservable, deactivated, reactivated): its stock goes
 * out again as it is now, so the cache, the screens and the stock check count it as available, or
 * stop, at once rather than at the level's next change.
 */
export async function republishLocation(pool: Pool, stock: StockPublisher, site: string, code: string): Promise<void> {
  const [[place]] = await pool.query<Row<typeof locations, 'id'>[]>(`SELECT id FROM locations WHERE site = ? AND code = ?`, [site, code])
  if (!place) return
  const [rows] = await pool.query<LevelRow[]>(
    `SELECT ${columns(stockLevels, ['productId', 'locationId', 'onHand', 'reserved', 'version'], 's')}, ${columns(products, ['sku'], 'p')},
            ${columns(locations, ['code'], 'l')}
       FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
      WHERE s.location_id = ? AND s.version > 0`,
    [place.id],
  )
  await stock.locationChanged(
    place.id,
    rows.map((r) => ({ ...r, location: r.code, version: Number(r.version) })),
  )
}
