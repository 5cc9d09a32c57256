import { describe, expect, it } from 'vitest'
import { worstFeel } from '../../handheld/src/feedback/feel.ts'
import { labelLot, namesProduct } from '../../handheld/src/workflows/item-scan.ts'
import { readQty } from '../../handheld/src/workflows/qty-field.tsx'

describe('handheld workflow helpers', () => {
  it('reads a quantity by what the workflow allows', () => {
    expect(readQty('3', 'positive')).toEqual({ qty: 3 })
    expect(readQty('0', 'positive')).toHaveProperty('error')
    expect(readQty('0', 'count')).toEqual({ qty: 0 })
    expect(readQty('-1', 'count')).toHaveProperty('error')
    expect(readQty('-4', 'signed')).toEqual({ qty: -4 })
    expect(readQty('0', 'signed')).toHaveProperty('error')
    expect(readQty('', 'positive')).toHaveProperty('error')
    expect(readQty('1.5', 'positive')).toHaveProperty('error')
  })

  it('takes the lot and expiry of a GS1 label, in either form, and nothing from a plain barcode', () => {
    expect(labelLot(']C1010950600013435210LOT-7\x1d17271231')).toEqual({ lot: 'LOT-7', expiry: '2027-12-31' })
    expect(labelLot('(01)09506000134352(17)271231')).toEqual({ expiry: '2027-12-31' })
    expect(labelLot('09506000134352')).toEqual({})
    expect(labelLot('not a barcode!')).toEqual({})
  })

  it('matches a scan to a line by any of its GTINs or its SKU', () => {
    const line = { sku: 'SKU-01M', gtins: ['00950600000026', '10950600000023'] }
    expect(namesProduct('950600000026', line)).toBe(true)
    expect(namesProduct(']C10110950600000023\x1d10L1', line)).toBe(true)
    expect(namesProduct('SKU-01M', line)).toBe(true)
    expect(namesProduct('00950600000019', line)).toBe(false)
  })

  it('signals the worst of outcomes settled together', () => {
    expect(worstFeel(['applied', 'held', 'applied'])).toBe('held')
    expect(worstFeel(['applied', 'rejected', 'held'])).toBe('rejected')
    expect(worstFeel([])).toBeUndefined()
  })
})
