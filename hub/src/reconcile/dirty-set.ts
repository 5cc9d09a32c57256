import { scripts } from '../redis/scripts.ts'
import type { Redis } from '../redis/redis-client.ts'

/** A level of a dirty set's member: a location of a site, or every level of the product ('*'). */
export interface TouchedLevel {
  site: string
  location: string
}

/**
 * What a set's members (`{site}|{location}@{sku}`) name, per sku: the levels changed, or a
 * location '*' for every level of the product at the site (a site '*': at every site). A site
 * holds no '|' and a location code no '@', so the first of each splits a member.
 */
export function touchedLevels(members: string[]): Map<string, TouchedLevel[]> {
  const bySku = new Map<string, TouchedLevel[]>()
  for (const m of members) {
    const bar = m.indexOf('|')
    const at = m.indexOf('@', bar + 1)
    const sku = m.slice(at + 1)
    bySku.set(sku, [...(bySku.get(sku) ?? []), { site: m.slice(0, bar), location: m.slice(bar + 1, at) }])
  }
  return bySku
}

/**
 * The levels touched since the last incremental run. Every stock change reaches the cache through
 * `liveCache.publish`, which adds `{site}|{location}@{sku}` for each level it writes to `dirtyKey`
 * in the same script; an incremental run takes the set, checks those levels (and those products'
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
    /** Marks every level of these products at every site (a change made outside the hub, e.g. a data fix an admin wants checked). */
    mark: async (skus: string[]) =>
      void (
        skus.length > 0 &&
        (await redis.sAdd(
          dirtyKey,
          skus.map((sku) => `*|*@${sku}`),
        ))
      ),
  }
}

export type DirtySet = ReturnType<typeof createDirtySet>
