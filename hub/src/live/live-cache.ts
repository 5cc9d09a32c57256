import type { ProductStock } from '@wh/shared/live'
import { scripts } from '../redis/scripts.ts'
import type { Redis } from '../redis/redis-client.ts'

export interface LocationState {
  location: string
  onHand: number
  reserved: number
  version: number
}

/** A product's stock from its cache hash fields (`l:{code}` = "onHand:reserved:version"). */
function toStock(sku: string, fields: [string, string][]): ProductStock {
  const stock: ProductStock = { sku, onHand: 0, reserved: 0, available: 0, locations: {} }
  for (const [field, value] of fields) {
    const [onHand, reserved] = value.split(':').map(Number) as [number, number]
    stock.locations[field.slice(2)] = { onHand, reserved, available: onHand - reserved }
    stock.onHand += onHand
    stock.reserved += reserved
  }
  stock.available = stock.onHand - stock.reserved
  return stock
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

export interface ProductStates {
  sku: string
  states: LocationState[]
}

export interface Delta {
  seq: number
  type: 'inventory_update'
  /** When the hub published it, right after the commit (ms since the epoch). */
  at: number
  data: ProductStock
}

export function createLiveCache(redis: Redis, prefix: string, streamMaxLen: number) {
  const keys = {
    product: (sku: string) => `${prefix}:inv:${sku}`,
    skus: `${prefix}:inv-skus`,
    stream: `${prefix}:deltas`,
    seq: `${prefix}:deltas:seq`,
    /** Levels (`{location}@{sku}`) whose stock changed since the last incremental reconciliation took the set. */
    dirty: `${prefix}:reconcile:dirty`,
    /** Set once the cache holds every level the database has: gone with a lost Redis, so its absence says "reload". */
    loaded: `${prefix}:inv-loaded`,
  }
  /**
   * One script call for the batch (redis/scripts/cache-publish.lua): version-guarded writes, each
   * marked dirty in mode `d`, and a delta per product. A repair (`r`) replaces the products'
   * hashes; its caller holds the levels' row locks meanwhile.
   */
  async function write(products: ProductStates[], mode: 'd' | 'g' | 'r'): Promise<Delta[]> {
    if (products.length === 0) return []
    const perProduct = products.flatMap((p) => [
      p.sku,
      mode,
      p.states.length,
      ...p.states.flatMap((s) => [s.location, s.onHand, s.reserved, s.version]),
    ])
    const bodies = await scripts.cachePublish(
      redis,
      [keys.stream, keys.seq, keys.skus, keys.dirty, ...products.map((p) => keys.product(p.sku))],
      [streamMaxLen, Date.now(), ...perProduct],
    )
    return bodies.map((b) => JSON.parse(b) as Delta)
  }
  return {
    keys,
    /**
     * Applies committed levels of several products and publishes a delta for each; returns the
     * deltas. The products are marked for the next incremental reconciliation unless `markDirty`
     * is false (the reconciler's own corrections).
     */
    publish: (products: ProductStates[], options: { markDirty?: boolean } = {}) => write(products, options.markDirty === false ? 'g' : 'd'),
    /**
     * Replaces each product's cached levels with these (the database's, read under the levels'
     * row locks) and publishes a delta, so screens converge on a repaired cache.
     */
    repair: (products: ProductStates[]) => write(products, 'r'),
    /** One product as the cache holds it, or undefined when the cache has nothing for it. */
    async read(sku: string): Promise<ProductStock | undefined> {
      const fields = Object.entries(await redis.hGetAll(keys.product(sku)))
      return fields.length === 0 ? undefined : toStock(sku, fields)
    },
    /** Every cached product (or only `skus`), consistent with the delta stream at `seq`. */
    async snapshot(skus?: readonly string[]): Promise<{ seq: number; data: ProductStock[] }> {
      const reply = await scripts.cacheSnapshot(redis, [keys.seq, keys.skus], [keys.product(''), ...(skus ?? [])])
      const data: ProductStock[] = []
      for (let i = 1; i < reply.length; i += 2) data.push(toStock(reply[i] as string, pairs(reply[i + 1] as string[])))
      return { seq: reply[0], data }
    },
  }
}

export type LiveCache = ReturnType<typeof createLiveCache>
