import type { LocationState, ProductStates } from '../live/live-cache.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import { levelKey } from './batch-plan.ts'
import type { BatchResult } from './batch-apply.ts'

/**
 * The committed levels a batch leaves for the live cache, per product: every level a movement
 * changed, and those of replayed events (their cache write may be what the crash lost).
 */
export function changedStock({ plan, levels }: BatchResult): ProductStates[] {
  const products = new Map<string, Map<string, LocationState>>()
  const note = (item: QueuedEvent, locationId: number) => {
    const level = levels.get(levelKey(item.productId, locationId))
    // Version 0: a level the plan only looked at (a held event where nothing is stocked) and no
    // batch ever wrote; the database has no row for it, so the cache gets none either.
    if (!level || level.version === 0) return
    const code = locationId === item.locationId ? item.locationCode : item.toLocationCode!
    const states = products.get(item.sku) ?? new Map<string, LocationState>()
    states.set(code, { location: code, onHand: level.onHand, reserved: level.reserved, version: level.version })
    products.set(item.sku, states)
  }
  for (const m of plan.movements) note(m.item, m.locationId)
  for (const o of plan.outcomes) {
    if (!o.settledEarlier) continue
    note(o.item, o.item.locationId)
    if (o.item.toLocationId !== undefined) note(o.item, o.item.toLocationId)
  }
  return [...products].map(([sku, states]) => ({ sku, states: [...states.values()] }))
}
