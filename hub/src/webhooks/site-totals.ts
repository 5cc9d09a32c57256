import type { PoolConnection } from 'mysql2/promise'
import { locations, products, stockLevels } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { siteStock, type LocationState } from '../live/live-cache.ts'

/** A SKU's figures at a site as a webhook item carries them. */
export interface SiteTotal {
  sku: string
  onHand: number
  available: number
}

type LevelRow = Row<typeof products, 'sku'> &
  Partial<Row<typeof locations, 'code' | 'sellable'> & Row<typeof stockLevels, 'onHand' | 'reserved'>>

/**
 * Site totals per SKU read from the database (not the live cache, which is written after the
 * commit and may not have a change the fan-out has read yet), summed as the stock check sums them
 * (`siteStock`). `skus` names the SKUs (any state); without it, every active product. A SKU with
 * no stock at the site counts 0.
 */
export async function readSiteTotals(conn: PoolConnection, site: string, skus?: readonly string[]): Promise<SiteTotal[]> {
  if (skus?.length === 0) return []
  const [rows] = await conn.query<LevelRow[]>(
    `SELECT ${columns(products, ['sku'], 'p')}, ${columns(locations, ['code', 'sellable'], 'l')},
            ${columns(stockLevels, ['onHand', 'reserved'], 's')}
       FROM products p
       LEFT JOIN (stock_levels s JOIN locations l ON l.id = s.location_id AND l.site = ?)
         ON s.product_id = p.id AND s.version > 0
      WHERE ${skus ? 'p.sku IN (?)' : 'p.active = 1'}
      ORDER BY p.sku`,
    skus ? [site, skus] : [site],
  )
  const levels = new Map<string, Omit<LocationState, 'version'>[]>()
  for (const r of rows) {
    const of = levels.get(r.sku) ?? []
    if (r.code !== undefined && r.code !== null)
      of.push({ location: r.code, onHand: r.onHand ?? 0, reserved: r.reserved ?? 0, reservable: Boolean(r.sellable) })
    levels.set(r.sku, of)
  }
  return [...levels].map(([sku, at]) => {
    const { onHand, available } = siteStock(site, sku, at)
    return { sku, onHand, available }
  })
}
