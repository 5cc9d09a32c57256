import type { Pool } from 'mysql2/promise'
import { locations, products, sites } from '../db/schema/index.ts'
import { columns, type Packet, type Row } from '../db/typed-rows.ts'

/** The catalog an import's rows refer to: what the database has, plus what earlier files of the same import add. */
export interface KnownCatalog {
  /** Site code to whether it is active. */
  sites: Map<string, boolean>
  /** `site|code` to the location's id (0 while only the import names it) and whether it is active. */
  locations: Map<string, { id: number; active: boolean }>
  /** SKU to the product's id (0 while only the import names it) and whether it is active. */
  products: Map<string, { id: number; active: boolean }>
  /** GTIN-14 to the SKU it scans as. */
  gtins: Map<string, string>
}

export const locationKey = (site: string, code: string) => `${site}|${code}`

/** The whole catalog's keys, read in four set-based queries (a hundred thousand products take well under a second). */
export async function loadKnownCatalog(pool: Pool): Promise<KnownCatalog> {
  const [[siteRows], [locationRows], [productRows], [gtinRows]] = await Promise.all([
    pool.query<Row<typeof sites, 'code' | 'active'>[]>(`SELECT ${columns(sites, ['code', 'active'])} FROM sites`),
    pool.query<Row<typeof locations, 'id' | 'site' | 'code' | 'active'>[]>(
      `SELECT ${columns(locations, ['id', 'site', 'code', 'active'])} FROM locations`,
    ),
    pool.query<Row<typeof products, 'id' | 'sku' | 'active'>[]>(`SELECT ${columns(products, ['id', 'sku', 'active'])} FROM products`),
    pool.query<Packet<{ gtin: string; sku: string }>[]>(
      `SELECT g.gtin AS gtin, p.sku AS sku FROM product_gtins g JOIN products p ON p.id = g.product_id`,
    ),
  ])
  return {
    sites: new Map(siteRows.map((s) => [s.code, Boolean(s.active)])),
    locations: new Map(locationRows.map((l) => [locationKey(l.site, l.code), { id: l.id, active: Boolean(l.active) }])),
    products: new Map(productRows.map((p) => [p.sku, { id: p.id, active: Boolean(p.active) }])),
    gtins: new Map(gtinRows.map((g) => [g.gtin, g.sku])),
  }
}
