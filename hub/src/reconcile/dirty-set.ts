import { scripts } from '../redis/scripts.ts'
import type { Redis } from '../redis/redis-client.ts'

/** What a set's members name: per sku, the location codes changed, or '*' for every location. */
export function touchedLevels(members: string[]): Map<string, Set<string>> {
  const bySku = new Map<string, Set<string>>()
  for (const m of members) {
    const at = m.indexOf('@')
    const sku = m.slice(at + 1)
    const locations = bySku.get(sku) ?? new Set<string>()
    locations.add(m.slice(0, at))
    bySku.set(sku, locations)
  }
  return bySku
}

/**
 * The levels touched since the last incremental run. Every stock change reaches the cache through
 * `liveCache.publish`, which adds `{location}@{sku}` for each level it writes to `dirtyKey` in
 * the same script; an incremental run takes the set, checks those levels (and those products'
 * cache), and drops it when it is done or puts it back when it fails.
 */
export function createDirtySet(redis: Redis, dirtyKey: string) {
  const taken = `${dirtyKey}:taken`
  return {
    take: () => scripts.dirtyTake(redis, [dirtyKey, taken], []),
    restore: async () => void (await scripts.dirtyRestore(redis, [dirtyKey, taken], [])),
    done: async () => void (await redis.del(taken)),
    /** A dry run's view: everything marked, taken by nobody. */
    peek: async () => [...new Set([...(await redis.sMembers(dirtyKey)), ...(await redis.sMembers(taken))])],
    /** Marks every level of these products (a change made outside the hub, e.g. a data fix an admin wants checked). */
    mark: async (skus: string[]) =>
      void (
        skus.length > 0 &&
        (await redis.sAdd(
          dirtyKey,
          skus.map((sku) => `*@${sku}`),
        ))
      ),
  }
}

export type DirtySet = ReturnType<typeof createDirtySet>
