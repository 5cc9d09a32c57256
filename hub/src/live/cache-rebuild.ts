import type { Log } from '../log.ts'
import type { Redis } from '../plugins/infra/redis.ts'
import type { LiveCache, ProductStates } from './live-cache.ts'

/** Products per cache write while reloading: bounded Lua calls, so other Redis clients are not held up. */
const CHUNK = 200

/**
 * Redis may be lost and is rebuilt (DESIGN): while the cache's `loaded` marker is missing (a new
 * Redis, or one that lost its data), every stock level is loaded again from the database. The
 * writes are version-guarded, so a level a batch wrote meanwhile is never set back; hubs that
 * reload at the same time write the same values.
 */
export function createCacheRebuild(deps: { redis: Redis; cache: LiveCache; levels: () => Promise<ProductStates[]>; log: Log }) {
  const { redis, cache, log } = deps
  async function reload(): Promise<boolean> {
    if ((await redis.exists(cache.keys.loaded)) === 1) return false
    const products = await deps.levels()
    for (let i = 0; i < products.length; i += CHUNK) await cache.publish(products.slice(i, i + CHUNK), { markDirty: false })
    await redis.set(cache.keys.loaded, new Date().toISOString())
    if (products.length > 0) log.warn({ products: products.length }, 'live cache was empty (Redis new or lost): reloaded from the database')
    return true
  }
  let running: Promise<boolean> | undefined
  /** Reloads the cache if its marker is missing; a call while a reload runs joins it. Resolves true when it reloaded. */
  return function ensureLoaded(): Promise<boolean> {
    running ??= reload().finally(() => (running = undefined))
    return running
  }
}
