import type { QueuedEvent } from '../partition/queued-event.ts'
import { levelKey } from '../stock/stock-level.ts'
import type { PublishedLevel } from '../stock/stock-publisher.ts'
import type { BatchResult } from './batch-apply.ts'

/**
 * The committed levels a batch leaves for the live cache: every level a movement changed, and
 * those of replayed events (their cache write may be what the crash lost).
 */
export function changedStock({ plan, levels }: BatchResult): PublishedLevel[] {
  const changed = new Map<string, PublishedLevel>()
  const note = (item: QueuedEvent, locationId: number) => {
    const key = levelKey(item.productId, locationId)
    const level = levels.get(key)
    // Version 0: a level the plan only looked at (a held event where nothing is stocked) and no
    // batch ever wrote; the database has no row for it, so the cache gets none either.
    if (!level || level.version === 0) return
    const location = locationId === item.locationId ? item.locationCode : item.toLocationCode!
    changed.set(key, { sku: item.sku, location, locationId, onHand: level.onHand, reserved: level.reserved, version: level.version })
  }
  for (const m of plan.movements) note(m.item, m.locationId)
  for (const o of plan.outcomes) {
    if (!o.settledEarlier) continue
    note(o.item, o.item.locationId)
    if (o.item.toLocationId !== undefined) note(o.item, o.item.toLocationId)
  }
  return [...changed.values()]
}
