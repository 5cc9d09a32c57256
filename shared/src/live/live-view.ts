import type { InventoryMessage, ProductInfo, ProductStock } from './live-messages.ts'

/** A product's newer state over its older one: whole totals, and the locations that changed. */
export function mergeStock(older: ProductStock | undefined, newer: ProductStock): ProductStock {
  return older ? { ...newer, locations: { ...older.locations, ...newer.locations } } : newer
}

/** What applying one inventory message did. */
export type ViewChange =
  { kind: 'snapshot' } | { kind: 'update'; skus: string[] } | { kind: 'stale' } | { kind: 'gap'; expected: number; got: number }

/**
 * A screen's copy of live stock, kept in step with the hub's delta stream. Deltas carry a
 * product's whole state, so applying one is idempotent; the seq only has to be gap-free.
 */
export class LiveView {
  /** The site whose stock this is (from the snapshot); '' before the first. */
  site = ''
  /** The last seq applied (of the site's stream); -1 before the first snapshot. */
  seq = -1
  readonly stock = new Map<string, ProductStock>()
  readonly info = new Map<string, ProductInfo>()

  apply(message: InventoryMessage): ViewChange {
    if (message.type === 'inventory_snapshot') {
      this.stock.clear()
      this.site = message.site
      for (const p of message.products) this.info.set(p.sku, p)
      for (const s of message.data) this.stock.set(s.sku, s)
      this.seq = message.seq
      return { kind: 'snapshot' }
    }
    const from = message.type === 'inventory_update' ? message.seq : message.fromSeq
    if (message.seq <= this.seq) return { kind: 'stale' }
    if (this.seq < 0 || from > this.seq + 1) return { kind: 'gap', expected: this.seq + 1, got: from }
    const data = message.type === 'inventory_update' ? [message.data] : message.data
    for (const s of data) this.stock.set(s.sku, mergeStock(this.stock.get(s.sku), s))
    this.seq = message.seq
    return { kind: 'update', skus: data.map((s) => s.sku) }
  }

  /** Forgets everything: the next snapshot (of another site, say) starts it again. */
  clear() {
    this.site = ''
    this.seq = -1
    this.stock.clear()
    this.info.clear()
  }

  /** A heartbeat says every delta up to `seq` that concerns this screen has been sent. */
  advance(seq: number) {
    if (this.seq >= 0 && seq > this.seq) this.seq = seq
  }

  isLow(sku: string): boolean {
    const stock = this.stock.get(sku)
    const threshold = this.info.get(sku)?.reorderThreshold ?? 0
    return (stock?.available ?? 0) <= threshold
  }
}
