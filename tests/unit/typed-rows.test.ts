import { describe, expect, it } from 'vitest'
import { columns } from '../../hub/src/db/typed-rows.ts'
import { lots, stockLevels } from '../../hub/src/db/schema/index.ts'

describe('select lists from the drizzle tables', () => {
  it('names each column by its SQL name and aliases it to the drizzle key', () => {
    expect(columns(stockLevels, ['productId', 'onHand', 'version'])).toBe(
      '`product_id` AS `productId`, `on_hand` AS `onHand`, `version` AS `version`',
    )
  })

  it('qualifies the columns with a table alias, for joins', () => {
    expect(columns(lots, ['lotCode', 'poNumber'], 'l')).toBe('l.`lot_code` AS `lotCode`, l.`po_number` AS `poNumber`')
  })
})
