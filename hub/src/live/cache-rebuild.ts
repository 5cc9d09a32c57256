import type { Log } from '../log.ts'
import type { Redis } from '../plugins/infra/redis.ts'
import type { LiveCache, ProductStates } from './live-cache.ts'

/** Products per cache write while loading: bounded Lua calls, so other Redis clients are not held up. */
const CHUNK = 200

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
 * Redis may be lost and is rebuilt (docs/operations.md, What to back up): while the cache's `loaded` marker is missing (a new
 * Redis, or one that lost its data), every stock level is loaded again from the database. Hubs
 * that reload at the same time write the same values.
 */
export function createCacheRebuild(deps: { redis: Redis; cache: LiveCache; levels: () => Promise<ProductStates[]>; log: Log }) {
  const { redis, cache, log } = deps
  async function reload() {
    if ((await redis.exists(cache.keys.loaded)) === 1) return
    const levels = await loadCache(redis, cache, await deps.levels())
    if (levels > 0) log.warn({ levels }, 'live cache was empty (Redis new or lost): reloaded from the database')
  }
  let running: Promise<void> | undefined
  /** Reloads the cache if its marker is missing; a call while a reload runs joins it. */
  return function ensureLoaded(): Promise<void> {
    running ??= reload().finally(() => (running = undefined))
    return running
  }
}
