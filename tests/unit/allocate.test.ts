import { describe, expect, it } from 'vitest'
import { allocate } from '../../hub/src/orders/allocate.ts'
import type { ReservableLevel } from '../../hub/src/stock/stock-locks.ts'

const level = (productId: number, location: string, zone: string, onHand: number, reserved = 0): ReservableLevel => ({
  sku: `P${productId}`,
  productId,
  locationId: location.charCodeAt(0),
  location,
  zone,
  onHand,
  reserved,
  version: 1,
})

describe('allocate', () => {
  it('takes pick faces first, then the fullest reserve rack, then the dock', () => {
    const levels = [
      level(1, 'D', 'receiving', 100),
      level(1, 'R', 'reserve', 8),
      level(1, 'Q', 'reserve', 20),
      level(1, 'P', 'pick-face', 5, 2),
    ]
    const result = allocate([{ sku: 'A', productId: 1, qty: 10 }], levels)
    expect('allocations' in result && result.allocations.map((a) => [a.level.location, a.qty])).toEqual([
      ['P', 3],
      ['Q', 7],
    ])
  })

  it('reserves nothing when any line is short, and reports every short line', () => {
    const levels = [level(1, 'P', 'pick-face', 5), level(2, 'P', 'pick-face', 1, 1), level(3, 'P', 'pick-face', 9)]
    const result = allocate(
      [
        { sku: 'A', productId: 1, qty: 5 },
        { sku: 'B', productId: 2, qty: 1 },
        { sku: 'C', productId: 3, qty: 10 },
      ],
      levels,
    )
    expect(result).toEqual({
      shortages: [
        { sku: 'B', requested: 1, available: 0 },
        { sku: 'C', requested: 10, available: 9 },
      ],
    })
  })
})
