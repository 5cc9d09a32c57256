import type { ProductStock } from '@wh/shared/live'
import { scripts } from '../redis/scripts.ts'
import type { Redis } from '../redis/redis-client.ts'

export interface LocationState {
  location: string
  onHand: number
  reserved: number
  version: number
  /** Orders may reserve here: only then does the level count as available. */
  reservable: boolean
}

/** A cache hash field's value, `onHand:reserved:version:r` (r = 1 where reservable). */
export const fieldValue = (s: Omit<LocationState, 'location'>) => `${s.onHand}:${s.reserved}:${s.version}:${s.reservable ? 1 : 0}`

/**
 * A product's stock at a site from its levels there: on hand and reserved summed over the site's
 * locations, `available` only where orders may reserve. The one place that says what the stock
 * check, the inventory API, the screens and the webhooks call a site's `available`.
 */
export function siteStock(site: string, sku: string, levels: readonly Omit<LocationState, 'version'>[]): ProductStock {
  const stock: ProductStock = { site, sku, onHand: 0, reserved: 0, available: 0, locations: {} }
  for (const { location, onHand, reserved, reservable } of levels) {
    const available = reservable ? onHand - reserved : 0
    stock.locations[location] = { onHand, reserved, available }
    stock.onHand += onHand
    stock.reserved += reserved
    stock.available += available
  }
  return stock
}

/** A product's stock at a site from its cache hash fields (`l:{code}` = "onHand:reserved:version:r"). */
function toStock(site: string, sku: string, fields: [string, string][]): ProductStock {
  const levels = fields.map(([field, value]) => {
    const [onHand, reserved, , reservable] = value.split(':').map(Number) as [number, number, number, number]
    return { location: field.slice(2), onHand, reserved, reservable: reservable === 1 }
  })
  return siteStock(site, sku, levels)
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

/** One product's levels at one site, as the cache writes them. */
export interface ProductStates {
  site: string
  sku: string
  states: LocationState[]
}

export interface Delta {
  /** Of the site's own stream: gap-free per site. */
  seq: number
  type: 'inventory_update'
  /** When the hub published it, right after the commit (ms since the epoch). */
  at: number
  data: ProductStock
}

/** How often a snapshot of every product reads the site's sku set again after it grew meanwhile. */
const SNAPSHOT_TRIES = 5

/**
 * The live cache, per (site, sku): a product's levels at a site are one hash, and each site has
 * its own delta stream and gap-free seq, so a screen of one site sees only that site's stock.
 * Every key a script touches is passed to it (docs/architecture.md, Live cache).
 */
export function createLiveCache(redis: Redis, prefix: string, streamMaxLen: number) {
  const keys = {
    product: (site: string, sku: string) => `${prefix}:inv:${site}:${sku}`,
    /** The skus cached at a site. */
    skus: (site: string) => `${prefix}:inv-skus:${site}`,
    /** Every site the cache holds stock of. */
    sites: `${prefix}:inv-sites`,
    stream: (site: string) => `${prefix}:deltas:${site}`,
    seq: (site: string) => `${prefix}:deltas-seq:${site}`,
    /** Levels (`{site}|{location}@{sku}`) whose stock changed since the last incremental reconciliation took the set. */
    dirty: `${prefix}:reconcile:dirty`,
    /**
     * Set once the cache holds every level the database has: gone with a lost Redis, so its absence
     * says "reload". Named for the per-site layout, so a hub that kept the old layout reloads too.
     */
    loaded: `${prefix}:inv-loaded:sites`,
  }
  /**
   * One script call for the batch (redis/scripts/cache-publish.lua): version-guarded writes, each
   * marked dirty in mode `d`, and a delta per product on its site's stream. A repair (`r`) replaces
   * the products' hashes; its caller holds the levels' row locks meanwhile.
   */
  async function write(products: ProductStates[], mode: 'd' | 'g' | 'r'): Promise<Delta[]> {
    if (products.length === 0) return []
    const perProduct = products.flatMap((p) => [
      p.site,
      p.sku,
      mode,
      p.states.length,
      ...p.states.flatMap((s) => [s.location, s.onHand, s.reserved, s.version, s.reservable ? 1 : 0]),
    ])
    const bodies = await scripts.cachePublish(
      redis,
      [
        keys.sites,
        keys.dirty,
        ...products.flatMap((p) => [keys.product(p.site, p.sku), keys.stream(p.site), keys.seq(p.site), keys.skus(p.site)]),
      ],
      [streamMaxLen, Date.now(), ...perProduct],
    )
    return bodies.map((b) => JSON.parse(b) as Delta)
  }

  /** A snapshot reply's products. */
  function products(site: string, reply: (string | string[])[]): ProductStock[] {
    const data: ProductStock[] = []
    for (let i = 0; i < reply.length; i += 2) data.push(toStock(site, reply[i] as string, pairs(reply[i + 1] as string[])))
    return data
  }

  return {
    keys,
    /**
     * Applies committed levels of several products and publishes a delta for each on its site's
     * stream; returns the deltas. The levels are marked for the next incremental reconciliation
     * unless `markDirty` is false (the reconciler's own corrections).
     */
    publish: (products: ProductStates[], options: { markDirty?: boolean } = {}) => write(products, options.markDirty === false ? 'g' : 'd'),
    /**
     * Replaces each product's cached levels at its site with these (the database's, read under the
     * levels' row locks) and publishes a delta, so screens converge on a repaired cache.
     */
    repair: (products: ProductStates[]) => write(products, 'r'),
    /** The sites the cache holds stock of. */
    sites: async (): Promise<string[]> => (await redis.sMembers(keys.sites)).sort(),
    /** One product at one site as the cache holds it, or undefined when the cache has nothing for it there. */
    async read(site: string, sku: string): Promise<ProductStock | undefined> {
      const fields = Object.entries(await redis.hGetAll(keys.product(site, sku)))
      return fields.length === 0 ? undefined : toStock(site, sku, fields)
    },
    /** Every cached product of a site (or only `skus`), consistent with the site's delta stream at `seq`. */
    async snapshot(site: string, skus?: readonly string[]): Promise<{ seq: number; data: ProductStock[] }> {
      const read = (mode: 'all' | 'named', named: readonly string[]) =>
        scripts.cacheSnapshot(redis, [keys.seq(site), keys.skus(site), ...named.map((s) => keys.product(site, s))], [mode, ...named])
      if (skus) {
        const [seq, ...rest] = await read('named', skus)
        return { seq, data: products(site, rest) }
      }
      for (let i = 0; i < SNAPSHOT_TRIES; i++) {
        const [seq, ...rest] = await read('all', await redis.sMembers(keys.skus(site)))
        if (seq >= 0) return { seq, data: products(site, rest) }
      }
      throw new Error(`the cached products of ${site} kept changing during a snapshot`)
    },
  }
}

export type LiveCache = ReturnType<typeof createLiveCache>
