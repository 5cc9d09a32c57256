import { mergeStock, type InventoryBatchUpdate, type InventoryUpdate, type ProductStock } from '@wh/shared/live'
import type { Delta } from './live-cache.ts'

/**
 * The message for deltas a screen has not had yet (in seq order), covering `fromSeq` to the last:
 * a single update when that is exactly one delta, else one batch with each product's latest
 * state. A screen watching some products gets only theirs; undefined when none of them changed
 * and `always` is not set.
 */
export function deltasMessage(deltas: Delta[], fromSeq: number, skus: ReadonlySet<string> | undefined, always = false): string | undefined {
  const latest = new Map<string, ProductStock>()
  for (const d of deltas) if (!skus || skus.has(d.data.sku)) latest.set(d.data.sku, mergeStock(latest.get(d.data.sku), d.data))
  if (latest.size === 0 && !always) return undefined
  const { seq, at } = deltas.at(-1)!
  if (deltas.length === 1 && fromSeq === seq && latest.size === 1) {
    const update: InventoryUpdate = { type: 'inventory_update', seq, at, data: deltas[0]!.data }
    return JSON.stringify(update)
  }
  const batch: InventoryBatchUpdate = { type: 'inventory_batch_update', fromSeq, seq, at, data: [...latest.values()] }
  return JSON.stringify(batch)
}
