import { eq } from 'drizzle-orm'
import { decodeBarcode, type HandheldLookup } from '@wh/shared'
import type { CatalogLookup } from '../catalog/catalog-lookup.ts'
import type { Db } from '../db/connection.ts'
import { products } from '../db/schema/index.ts'
import type { LiveCache } from '../live/live-cache.ts'
import { HubError } from '../errors.ts'

export interface LookupDeps {
  db: Db
  catalog: Pick<CatalogLookup, 'product'>
  stock: Pick<LiveCache, 'read'>
}

/**
 * A scanned item as ingest would read it (the same decoder and catalog lookup, so what a lookup
 * finds a scan finds), with the label's lot and expiry and the product's live stock at the site.
 */
export async function lookupBarcode(deps: LookupDeps, site: string, barcode: string): Promise<HandheldLookup> {
  const decoded = decodeBarcode(barcode)
  if (!decoded.ok) throw new HubError('BAD_BARCODE', `${decoded.code}: ${decoded.message}`)
  const product = await deps.catalog.product(decoded.value)
  if (!product) throw new HubError('UNKNOWN_BARCODE', barcode)
  const [[row], stock] = await Promise.all([
    deps.db.select({ name: products.name }).from(products).where(eq(products.id, product.id)).limit(1),
    deps.stock.read(site, product.sku),
  ])
  const { lot, expiry } = decoded.value
  return {
    sku: product.sku,
    name: row?.name ?? product.sku,
    packQty: product.packQty,
    ...(lot ? { lot } : {}),
    ...(expiry ? { expiry } : {}),
    locations: Object.entries(stock?.locations ?? {})
      .filter(([, at]) => at.onHand !== 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([location, at]) => ({ location, onHand: at.onHand, available: at.available })),
  }
}
