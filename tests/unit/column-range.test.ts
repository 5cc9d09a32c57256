import { describe, expect, it } from 'vitest'
import { QTY_COLUMN_MAX, pastColumnRange } from '../../hub/src/apply/column-range.ts'
import { lotMovements, lots, poLines, stockLevels, stockMovements } from '../../hub/src/db/schema/index.ts'

describe('the stock columns the planner guards', () => {
  it('are all MySQL INT, whose maximum the planner holds totals to', () => {
    const columns = [
      stockLevels.onHand,
      stockLevels.reserved,
      lots.qty,
      stockMovements.qtyDelta,
      stockMovements.onHandAfter,
      lotMovements.qtyDelta,
      poLines.qtyReceived,
    ]
    expect(columns.map((c) => `${c.name} ${c.getSQLType()}`)).toEqual(columns.map((c) => `${c.name} int`))
    expect(QTY_COLUMN_MAX).toBe(2147483647)
  })

  it('says what a level or its fullest lot would reach past the range, and nothing while it fits', () => {
    expect(pastColumnRange(QTY_COLUMN_MAX - 5, [], 5)).toBeUndefined()
    expect(pastColumnRange(QTY_COLUMN_MAX - 5, [], 6)).toBe(QTY_COLUMN_MAX + 1)
    expect(pastColumnRange(10, [{ qty: 3 }, { qty: QTY_COLUMN_MAX }], 1)).toBe(QTY_COLUMN_MAX + 1)
  })
})
