import { and, eq } from 'drizzle-orm'
import { LRUCache } from 'lru-cache'
import type { Db } from '../db/connection.ts'
import { devices, locations, productGtins, products, sites } from '../db/schema/index.ts'
import type { SecretBox } from '../devices/secret-box.ts'

export interface ProductRef {
  id: number
  sku: string
  /** Units one scan of the barcode stands for: 1 for a unit or SKU, 12 for a case of 12. */
  packQty: number
  /** A deactivated product is known (so its scans are told why) but takes no new stock. */
  active: boolean
}
export interface LocationRef {
  id: number
  code: string
  /** False when the location or its site is deactivated: it takes no new stock. */
  active: boolean
}
export interface DeviceRef {
  id: string
  site: string
  enabled: boolean
  /** The signing secret, unsealed; null when the device has none (or it does not open: see `secretProblem`). */
  secret: string | null
  secretProblem?: string
}

/** The catalog could not be read (MySQL away) and this instance had nothing cached to go on. */
export class CatalogUnavailableError extends Error {
  constructor(key: string) {
    super(`the catalog could not be read for ${key}, and nothing is cached`)
  }
}

/** Absent rows are cached too (briefly), so a storm of bad scans does not become a storm of queries. */
const MISSING = Symbol('missing')
type Cached<T> = T | typeof MISSING

function cached<T extends object>(ttlMs: number, missingTtlMs: number, load: (key: string) => Promise<T | undefined>) {
  const cache = new LRUCache<string, Cached<T>>({
    max: 100_000,
    ttl: ttlMs,
    // While MySQL is unreachable, ingest keeps admitting with what it last knew.
    allowStaleOnFetchRejection: true,
    noDeleteOnFetchRejection: true,
    fetchMethod: async (key, _stale, { options }) => {
      const row = await load(key)
      if (row) return row
      options.ttl = missingTtlMs
      return MISSING
    },
  })
  return {
    async get(key: string): Promise<T | undefined> {
      const value = await cache.fetch(key)
      // With allowStaleOnFetchRejection, a failed load with nothing stale to fall back on resolves
      // to undefined (lru-cache swallows the error): that is "unknown now", never "no such row".
      // Throwing leaves the scan unanswered, so its device resends it once MySQL is back.
      if (value === undefined) throw new CatalogUnavailableError(key)
      return value === MISSING ? undefined : value
    },
    forget: (key: string) => void cache.delete(key),
    forgetWhere(test: (key: string) => boolean) {
      for (const key of [...cache.keys()]) if (test(key)) cache.delete(key)
    },
  }
}

/**
 * Read-through lookups of the catalog that ingest needs for every event. Products and locations
 * change rarely; devices (with their unsealed signing secrets, kept in memory only) are re-read
 * every `deviceMs`, so a disable or a secret rotation made by any hub instance holds everywhere
 * within that time, and at once on the instance that made it (`forgetDevice`).
 */
export function createCatalogLookup(db: Db, box: SecretBox, ttl = { catalogMs: 60_000, deviceMs: 5_000, missingMs: 2_000 }) {
  const productByBarcode = cached<ProductRef>(ttl.catalogMs, ttl.missingMs, async (key) => {
    const [kind, value] = [key.slice(0, 1), key.slice(2)]
    if (kind === 's') {
      const [row] = await db
        .select({ id: products.id, sku: products.sku, active: products.active })
        .from(products)
        .where(eq(products.sku, value))
        .limit(1)
      return row && { ...row, packQty: 1 }
    }
    const [row] = await db
      .select({ id: products.id, sku: products.sku, packQty: productGtins.qty, active: products.active })
      .from(productGtins)
      .innerJoin(products, eq(products.id, productGtins.productId))
      .where(eq(productGtins.gtin, value))
      .limit(1)
    return row
  })
  const locationByCode = cached<LocationRef>(ttl.catalogMs, ttl.missingMs, async (key) => {
    const [site, code] = JSON.parse(key) as [string, string]
    const [row] = await db
      .select({ id: locations.id, code: locations.code, active: locations.active, siteActive: sites.active })
      .from(locations)
      .leftJoin(sites, eq(sites.code, locations.site))
      .where(and(eq(locations.site, site), eq(locations.code, code)))
      .limit(1)
    return row && { id: row.id, code: row.code, active: row.active && row.siteActive !== false }
  })
  const deviceById = cached<DeviceRef>(ttl.deviceMs, ttl.missingMs, async (id) => {
    const [row] = await db
      .select({ id: devices.id, site: devices.site, enabled: devices.enabled, sealed: devices.secretSealed })
      .from(devices)
      .where(eq(devices.id, id))
      .limit(1)
    if (!row) return undefined
    const { sealed, ...device } = row
    if (sealed === null) return { ...device, secret: null, secretProblem: 'the device has no signing secret (rotate it to issue one)' }
    try {
      return { ...device, secret: box.unseal(sealed, id) }
    } catch (err) {
      return { ...device, secret: null, secretProblem: (err as Error).message }
    }
  })
  return {
    /** The product a scan names: by the item's GTIN, a logistic unit's content GTIN, or the SKU. */
    product(scan: { gtin?: string; contentGtin?: string; sku?: string }) {
      const gtin = scan.gtin ?? scan.contentGtin
      return gtin ? productByBarcode.get(`g:${gtin}`) : productByBarcode.get(`s:${scan.sku ?? ''}`)
    },
    location: (site: string, code: string) => locationByCode.get(JSON.stringify([site, code])),
    device: (id: string) => deviceById.get(id),
    /** Uncached: where the device's sequence stands in the database. */
    async deviceLastSeq(id: string): Promise<number> {
      const [row] = await db.select({ seq: devices.lastDeviceSeq }).from(devices).where(eq(devices.id, id)).limit(1)
      return row?.seq ?? 0
    },
    /** After a registration change, so the next event is checked against the database. */
    forgetDevice: (id: string) => deviceById.forget(id),
    /** After a catalog change made here: the next scan of these reads the database. */
    forgetProduct(sku: string, gtins: readonly string[]) {
      productByBarcode.forget(`s:${sku}`)
      for (const gtin of gtins) productByBarcode.forget(`g:${gtin}`)
    },
    forgetLocation: (site: string, code: string) => locationByCode.forget(JSON.stringify([site, code])),
    /** A site's (de)activation changes whether each of its locations takes stock. */
    forgetSite: (site: string) => locationByCode.forgetWhere((key) => (JSON.parse(key) as [string, string])[0] === site),
  }
}

export type CatalogLookup = ReturnType<typeof createCatalogLookup>
