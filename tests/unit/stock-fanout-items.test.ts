import { describe, expect, it } from 'vitest'
import { chunkItems, MAX_ITEMS, mergeItems, type StockItem } from '../../hub/src/webhooks/stock-fanout-items.ts'

const item = (sku: string, seq: number, onHand = seq): StockItem => ({ sku, onHand, available: onHand, seq })

describe('stock message items', () => {
  it('splits a site into messages of at most 500 items, in SKU order, and of a size the payload column holds', () => {
    const items = Array.from({ length: 1203 }, (_, i) => item(`S-${String(i).padStart(4, '0')}`, i))
    const chunks = chunkItems([...items].reverse())
    expect(chunks.map((c) => c.length)).toEqual([MAX_ITEMS, MAX_ITEMS, 203])
    expect(chunks.flat()).toEqual(items)
    const long = Array.from({ length: MAX_ITEMS }, (_, i) => item(`${'X'.repeat(60)}${String(i).padStart(4, '0')}`, 10 ** 12 + i, 10 ** 6))
    for (const chunk of chunkItems(long))
      expect(JSON.stringify({ type: 'stock.synced', data: { items: chunk } }).length).toBeLessThan(65_535)
  })

  it('folds newer items into a message: each SKU once, its newest figures, never set back by an older seq', () => {
    const merged = mergeItems([item('A', 5), item('B', 7)], [item('B', 9, 1), item('C', 8), item('A', 4, 99)])
    expect(merged).toEqual([item('A', 5), item('B', 9, 1), item('C', 8)])
    expect(
      mergeItems(
        Array.from({ length: MAX_ITEMS }, (_, i) => item(`S-${i}`, i)),
        [item('new', 1000)],
      ),
    ).toBeUndefined()
  })
})
