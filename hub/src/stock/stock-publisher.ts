import type { ActivityItem, FeedMessage } from '@wh/shared/live'
import type { Log } from '../log.ts'
import type { FloorFeed } from '../live/floor-feed.ts'
import type { LiveCache, ProductStates } from '../live/live-cache.ts'
import type { NamedLevel } from './stock-level.ts'

/** A committed level as the cache, the screens and outbound listeners see it. */
export type PublishedLevel = Pick<NamedLevel, 'sku' | 'location' | 'onHand' | 'reserved' | 'version'>

/** Told of every committed stock change, after the cache has it (outbound sync attaches here). */
export type StockListener = (levels: readonly PublishedLevel[]) => void | Promise<void>

/** The levels of one commit, grouped per product as the cache writes them. */
function byProduct(levels: readonly PublishedLevel[]): ProductStates[] {
  const products = new Map<string, ProductStates>()
  for (const { sku, location, onHand, reserved, version } of levels) {
    const product = products.get(sku) ?? { sku, states: [] }
    product.states.push({ location, onHand, reserved, version })
    products.set(sku, product)
  }
  return [...products.values()]
}

/**
 * The one way a committed stock change leaves the database: into the live cache and its delta
 * stream (version-guarded, so a late publish never sets a level back), to the floor screens' feed,
 * and to the listeners. It runs after the commit: the change stands if Redis is away, and
 * reconciliation's cache check brings the cache back to the database.
 */
export function createStockPublisher(deps: { cache: Pick<LiveCache, 'publish'>; feed: Pick<FloorFeed, 'publish' | 'activity'>; log: Log }) {
  const listeners: StockListener[] = []
  return {
    /**
     * Committed levels into the cache and the delta stream, then to every listener. `markDirty`
     * false for reconciliation's own writes (it checks only what others wrote since).
     */
    async levels(levels: readonly PublishedLevel[], options: { markDirty?: boolean } = {}) {
      if (levels.length === 0) return
      await deps.cache.publish(byProduct(levels), options)
      for (const listener of listeners) {
        // A listener's failure is its own: the change is committed and published.
        await Promise.resolve()
          .then(() => listener(levels))
          .catch((err: Error) => deps.log.warn({ err: err.message }, 'stock listener failed'))
      }
    },
    /** The floor screens' feed: held events and decisions, reconciliation runs. */
    floor: (message: FeedMessage) => deps.feed.publish(message),
    /** The floor screens' activity list (gathered per tick by the feed). */
    activity: (items: ActivityItem[]) => deps.feed.activity(items),
    onChange(listener: StockListener) {
      listeners.push(listener)
    },
  }
}

export type StockPublisher = ReturnType<typeof createStockPublisher>
