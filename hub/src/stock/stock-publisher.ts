import type { ActivityItem, FeedMessage, ReconciliationSummary } from '@wh/shared/live'
import type { LocationFacts, LocationFactsLookup } from '../catalog/location-facts.ts'
import type { Log } from '../log.ts'
import type { FloorFeed } from '../live/floor-feed.ts'
import type { LiveCache, ProductStates } from '../live/live-cache.ts'
import type { NamedLevel } from './stock-level.ts'

/** A committed level as a writer hands it over: the publisher finds its site and reservability. */
export type PublishedLevel = Pick<NamedLevel, 'sku' | 'location' | 'locationId' | 'onHand' | 'reserved' | 'version'>

/** A published level with its location's site and whether orders may reserve there. */
export type SiteLevel = PublishedLevel & Pick<LocationFacts, 'site' | 'reservable'>

/** Told of every committed stock change, after the cache has it (outbound sync attaches here). */
export type StockListener = (levels: readonly SiteLevel[]) => void | Promise<void>

/** The levels of one commit, grouped per product and site as the cache writes them. */
function byProduct(levels: readonly SiteLevel[]): ProductStates[] {
  const products = new Map<string, ProductStates>()
  for (const { site, sku, location, onHand, reserved, version, reservable } of levels) {
    const key = JSON.stringify([site, sku])
    const product = products.get(key) ?? { site, sku, states: [] }
    product.states.push({ location, onHand, reserved, version, reservable })
    products.set(key, product)
  }
  return [...products.values()]
}

/**
 * The one way a committed stock change leaves the database: into the live cache and its site's
 * delta stream (version-guarded, so a late publish never sets a level back), to the floor screens'
 * feed, and to the listeners. It runs after the commit: the change stands if Redis is away, and
 * reconciliation's cache check brings the cache back to the database.
 */
export function createStockPublisher(deps: {
  cache: Pick<LiveCache, 'publish'>
  feed: Pick<FloorFeed, 'publish' | 'activity' | 'reconciliation'>
  locations: LocationFactsLookup
  log: Log
}) {
  const listeners: StockListener[] = []
  return {
    /**
     * Committed levels into the cache and the delta streams, then to every listener. `markDirty`
     * false for reconciliation's own writes (it checks only what others wrote since).
     */
    async levels(levels: readonly PublishedLevel[], options: { markDirty?: boolean } = {}) {
      if (levels.length === 0) return
      const facts = await deps.locations.get(levels.map((l) => l.locationId))
      const sited = levels.map((l): SiteLevel => {
        const at = facts.get(l.locationId)
        // A location row is never deleted (the ledger references it), so this is a caller's bug.
        if (!at) throw new Error(`location ${l.locationId} (${l.location}) not found`)
        return { ...l, site: at.site, location: at.code, reservable: at.reservable }
      })
      await deps.cache.publish(byProduct(sited), options)
      for (const listener of listeners) {
        // A listener's failure is its own: the change is committed and published.
        await Promise.resolve()
          .then(() => listener(sited))
          .catch((err: Error) => deps.log.warn({ err: err.message }, 'stock listener failed'))
      }
    },
    /**
     * A location's catalog facts changed (made unreservable, deactivated): its levels go out again
     * at their versions with what the location is now, so `available` changes at once everywhere.
     */
    async locationChanged(locationId: number, levels: readonly PublishedLevel[]) {
      deps.locations.forget(locationId)
      await this.levels(levels, { markDirty: false })
    },
    /** The floor screens' feed of one site: its held events and decisions. */
    floor: (message: FeedMessage, site: string) => deps.feed.publish(message, site),
    /** A reconciliation run to each site's screens, as it concerns that site. */
    reconciliation: (runs: readonly ReconciliationSummary[]) => deps.feed.reconciliation(runs),
    /** The floor screens' activity list (gathered per tick by the feed). */
    activity: (items: ActivityItem[]) => deps.feed.activity(items),
    onChange(listener: StockListener) {
      listeners.push(listener)
    },
  }
}

export type StockPublisher = ReturnType<typeof createStockPublisher>
