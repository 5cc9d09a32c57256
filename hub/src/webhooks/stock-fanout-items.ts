import type { SiteTotal } from './site-totals.ts'

/** One SKU in a stock message: its site totals and the seq they are at least as new as. */
export interface StockItem extends SiteTotal {
  seq: number
}

/** Items per stock message at most. */
export const MAX_ITEMS = 500
/**
 * Bytes of items per message at most: the payload column is a TEXT (65,535 bytes), and 500 items
 * with 64-character SKUs come close to it.
 */
const MAX_ITEM_BYTES = 56_000

const sizeOf = (item: StockItem) => JSON.stringify(item).length + 1

/** Items in SKU order, split into messages of at most MAX_ITEMS and MAX_ITEM_BYTES each. */
export function chunkItems(items: readonly StockItem[]): StockItem[][] {
  const sorted = [...items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
  const chunks: StockItem[][] = []
  let chunk: StockItem[] = []
  let bytes = 0
  for (const item of sorted) {
    const size = sizeOf(item)
    if (chunk.length === MAX_ITEMS || bytes + size > MAX_ITEM_BYTES) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(item)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

/**
 * A pending message's items with newer ones folded in (each SKU once, its newest figures), or
 * undefined when the result would not fit one message.
 */
export function mergeItems(older: readonly StockItem[], newer: readonly StockItem[]): StockItem[] | undefined {
  const bySku = new Map(older.map((i) => [i.sku, i]))
  for (const item of newer) {
    const had = bySku.get(item.sku)
    if (!had || had.seq <= item.seq) bySku.set(item.sku, item)
  }
  const chunks = chunkItems([...bySku.values()])
  return chunks.length === 1 ? chunks[0] : undefined
}

/** The highest seq among items (a message's `data.seq`). */
export const highestSeq = (items: readonly StockItem[]) => items.reduce((max, i) => Math.max(max, i.seq), 0)

/** `stock.changed` data: the site, the highest seq, the items. */
export const changedData = (site: string, items: readonly StockItem[]) => ({ site, seq: highestSeq(items), items })
