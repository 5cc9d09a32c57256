import { inArray } from 'drizzle-orm'
import { LRUCache } from 'lru-cache'
import type { Db } from '../db/connection.ts'
import { locations } from '../db/schema/index.ts'

/** What the live cache needs of a location besides its id. */
export interface LocationFacts {
  site: string
  code: string
  /** Stock here counts as available (the location's `sellable`: reservable and active). */
  reservable: boolean
}

/**
 * Locations by id for the stock publisher, which is handed levels by location id: read through a
 * small LRU with a short TTL (a location made unreservable shows within `ttlMs`), the ids it
 * lacks loaded in one query. While MySQL does not answer, what it last said is used.
 */
export function createLocationFacts(db: Db, ttlMs = 10_000) {
  // Expired entries are kept (not returned by a plain get) for the fallback.
  const cache = new LRUCache<number, LocationFacts>({ max: 50_000, ttl: ttlMs, noDeleteOnStaleGet: true })
  async function facts(ids: Iterable<number>): Promise<Map<number, LocationFacts>> {
    const found = new Map<number, LocationFacts>()
    const missing: number[] = []
    for (const id of new Set(ids)) {
      const hit = cache.get(id)
      if (hit) found.set(id, hit)
      else missing.push(id)
    }
    if (missing.length === 0) return found
    try {
      const rows = await db
        .select({ id: locations.id, site: locations.site, code: locations.code, reservable: locations.sellable })
        .from(locations)
        .where(inArray(locations.id, missing))
      for (const { id, reservable, ...row } of rows) {
        const facts = { ...row, reservable: Boolean(reservable) }
        cache.set(id, facts)
        found.set(id, facts)
      }
    } catch (err) {
      const stale = missing.map((id) => [id, cache.get(id, { allowStale: true })] as const)
      if (stale.some(([, facts]) => !facts)) throw err
      for (const [id, facts] of stale) found.set(id, facts!)
    }
    return found
  }
  return {
    get: facts,
    /** After a change to the location made here: the next publish reads it again. */
    forget: (id: number) => void cache.delete(id),
  }
}

export type LocationFactsLookup = ReturnType<typeof createLocationFacts>
