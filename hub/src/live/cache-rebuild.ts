import type { Pool } from 'mysql2/promise'
import { locations, products, stockLevels } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import type { LiveCache, ProductStates } from './live-cache.ts'

/** Products per cache write while loading: bounded Lua calls, so other Redis clients are not held up. */
const CHUNK = 200
/** How often a worker looks for a cache that Redis lost. */
const REBUILD_CHECK_MS = 2000

/** Every stock level a batch has written, by product and site, as the live cache keeps them. */
export async function readCacheLevels(pool: Pool): Promise<ProductStates[]> {
  const [rows] = await pool.query<
    (Row<typeof products, 'sku'> &
      Row<typeof locations, 'site' | 'code' | 'sellable'> &
      Row<typeof stockLevels, 'onHand' | 'reserved' | 'version'>)[]
  >(
    `SELECT ${columns(products, ['sku'], 'p')}, ${columns(locations, ['site', 'code', 'sellable'], 'l')},
            ${columns(stockLevels, ['onHand', 'reserved', 'version'], 's')}
       FROM stock_levels s
     JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id WHERE s.version > 0 ORDER BY l.site, p.sku`,
  )
  const bySiteSku = new Map<string, ProductStates>()
  for (const r of rows) {
    const key = JSON.stringify([r.site, r.sku])
    const product = bySiteSku.get(key) ?? { site: r.site, sku: r.sku, states: [] }
    product.states.push({
      location: r.code,
      onHand: r.onHand,
      reserved: r.reserved,
      version: Number(r.version),
      reservable: Boolean(r.sellable),
    })
    bySiteSku.set(key, product)
  }
  return [...bySiteSku.values()]
}

/**
 * Writes every given level into the cache, version-guarded (a level a batch wrote meanwhile is
 * never set back), then sets the marker that the cache holds them all. Returns the levels written.
 */
export async function loadCache(redis: Redis, cache: LiveCache, products: ProductStates[]): Promise<number> {
  for (let i = 0; i < products.length; i += CHUNK) await cache.publish(products.slice(i, i + CHUNK), { markDirty: false })
  await redis.set(cache.keys.loaded, new Date().toISOString())
  return products.reduce((n, p) => n + p.states.length, 0)
}

/**
 * Redis may be lost and is rebuilt (docs/operations.md, Backup and restore): while the cache's `loaded` marker is missing (a new
 * Redis, or one that lost its data), every stock level is loaded again from the database. Hubs
 * that reload at the same time write the same values.
 */
export function startCacheRebuild(deps: { redis: Redis; pool: Pool; cache: LiveCache; log: Log }) {
  const { redis, cache, log } = deps
  async function reload() {
    if ((await redis.exists(cache.keys.loaded)) === 1) return
    const levels = await loadCache(redis, cache, await readCacheLevels(deps.pool))
    if (levels > 0) log.warn({ levels }, 'live cache was empty (Redis new or lost): reloaded from the database')
  }
  let running: Promise<void> | undefined
  // A check while a reload runs joins it.
  const check = () => {
    running ??= reload()
      .catch((err: Error) => log.warn({ err: err.message }, 'live cache reload failed'))
      .finally(() => (running = undefined))
  }
  check()
  const timer = setInterval(check, REBUILD_CHECK_MS)
  return { close: () => clearInterval(timer) }
}
