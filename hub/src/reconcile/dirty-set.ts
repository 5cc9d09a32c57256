import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'

/**
 * Takes the dirty set for a run: what a run that died left taken is merged back first, then the
 * set is renamed to the taken key (atomic, so a product marked meanwhile lands in a fresh set for
 * the next run). KEYS: dirty, taken. Returns the taken skus.
 */
const take = luaScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('SUNIONSTORE', KEYS[1], KEYS[1], KEYS[2])
  redis.call('DEL', KEYS[2])
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('RENAME', KEYS[1], KEYS[2])
return redis.call('SMEMBERS', KEYS[2])
`)

/** Puts the taken skus back into the dirty set (a run that failed). KEYS: dirty, taken. */
const restore = luaScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('SUNIONSTORE', KEYS[1], KEYS[1], KEYS[2])
  redis.call('DEL', KEYS[2])
end
return 0
`)

/**
 * The products touched since the last incremental run. Every stock change reaches the cache
 * through `liveCache.publish`, which adds the product's sku to `dirtyKey` in the same script; an
 * incremental run takes the set, checks those products, and drops it when it is done or puts it
 * back when it fails.
 */
export function createDirtySet(redis: Redis, dirtyKey: string) {
  const taken = `${dirtyKey}:taken`
  return {
    take: async () => (await take(redis, [dirtyKey, taken], [])) as string[],
    restore: async () => void (await restore(redis, [dirtyKey, taken], [])),
    done: async () => void (await redis.del(taken)),
    /** A dry run's view: everything marked, taken by nobody. */
    peek: async () => [...new Set([...(await redis.sMembers(dirtyKey)), ...(await redis.sMembers(taken))])],
    /** Marks products by hand (a change made outside the hub, e.g. a data fix an admin wants checked). */
    mark: async (skus: string[]) => void (skus.length > 0 && (await redis.sAdd(dirtyKey, skus))),
  }
}

export type DirtySet = ReturnType<typeof createDirtySet>
