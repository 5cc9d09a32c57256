import { describe, expect, it } from 'vitest'
import { compareFields, levelName } from '../../hub/src/reconcile/cache-check.ts'
import { touchedLevels } from '../../hub/src/reconcile/dirty-set.ts'
import { planLotFix } from '../../hub/src/reconcile/lot-fix.ts'
import { fitSummary } from '../../hub/src/reconcile/run-store.ts'
import { describeFinding } from '../../hub/src/reconcile/slice-step.ts'

const lot = (id: number, code: string, qty: number, expiry: string | null = null) => ({
  id,
  productId: 1,
  locationId: 1,
  code,
  qty,
  expiry,
  poNumber: null,
})

describe('lots are brought to on_hand', () => {
  it('puts a surplus on the unnamed lot, creating it when missing', () => {
    expect(planLotFix([lot(1, '', 3), lot(2, 'A', 5)], 10)).toEqual([{ id: 1, lotCode: '', before: 3, after: 5 }])
    expect(planLotFix([lot(2, 'A', 5)], 7)).toEqual([{ lotCode: '', before: 0, after: 2 }])
    expect(planLotFix([lot(2, 'A', 5)], 5)).toEqual([])
  })

  it('takes a shortfall from the unnamed lot while it lasts, then from named lots first expiring first', () => {
    expect(planLotFix([lot(1, '', 4), lot(2, 'A', 5)], 6)).toEqual([{ id: 1, lotCode: '', before: 4, after: 1 }])
    const lots = [lot(1, '', 2), lot(2, 'LATE', 5, '2027-12-31'), lot(3, 'NONE', 5), lot(4, 'SOON', 3, '2027-01-31')]
    expect(planLotFix(lots, 8)).toEqual([
      { id: 1, lotCode: '', before: 2, after: 0 },
      { id: 4, lotCode: 'SOON', before: 3, after: 0 },
      { id: 2, lotCode: 'LATE', before: 5, after: 3 },
    ])
    expect(planLotFix([lot(2, 'A', 5, '2027-01-01'), lot(3, 'B', 5)], 0).map((c) => c.after)).toEqual([0, 0])
  })
})

describe('cache against database', () => {
  const level = (location: string, onHand: number, version: number, recent = false, reservable = true) => ({
    location,
    onHand,
    reserved: 0,
    version,
    reservable,
    recent,
  })

  it('finds changed, missing and extra fields', () => {
    const levels = [level('A', 5, 3), level('B', 2, 1)]
    expect(compareFields(levels, { 'l:A': '5:0:3:1', 'l:B': '2:0:1:1' }).fields).toEqual([])
    expect(compareFields(levels, { 'l:A': '9:0:99:1', 'l:B': '2:0:1:1', 'l:C': '1:0:1:1' }).fields).toEqual(['l:A', 'l:C'])
    expect(compareFields(levels, {}).fields).toEqual(['l:A', 'l:B'])
  })

  it('calls a difference in flight only when the cache is merely behind, or lacks a level that just changed', () => {
    expect(compareFields([level('A', 5, 3)], { 'l:A': '4:0:2:1' }).maybeInFlight).toBe(true)
    expect(compareFields([level('A', 5, 3)], { 'l:A': '4:0:7:1' }).maybeInFlight).toBe(false)
    expect(compareFields([level('A', 5, 1, true)], {}).maybeInFlight).toBe(true)
    expect(compareFields([level('A', 5, 1, true), level('B', 2, 4)], {}).maybeInFlight).toBe(false)
  })

  it('finds a level whose reservability differs, at the same version', () => {
    expect(compareFields([level('A', 5, 3, false, false)], { 'l:A': '5:0:3:1' })).toMatchObject({ fields: ['l:A'], maybeInFlight: false })
  })

  it('leaves out the levels a dry run would have corrected first', () => {
    expect(compareFields([level('A', 5, 3)], { 'l:A': '4:0:3:1' }, (l) => l === 'A').fields).toEqual([])
  })
})

describe('a dry run reports what a run would do', () => {
  const state = { productId: 1, locationId: 1, hasLevel: true, version: 1, recent: false, inScope: true }
  const at = { site: 'S1', sku: 'S', location: 'L' }

  it('names each check that disagrees, lots against the corrected on_hand', () => {
    const found = describeFinding({ ...state, onHand: 12, reserved: 1, ledger: 10, active: 0, lots: 10 }, at)
    expect(found.map((f) => [f.check, f.found, f.expected, f.outcome])).toEqual([
      ['ledger', 12, 10, 'dry-run'],
      ['reserved', 1, 0, 'dry-run'],
    ])
  })

  it('leaves a correction that would break reserved <= on_hand to an admin', () => {
    const found = describeFinding({ ...state, onHand: 5, reserved: 5, ledger: 5, active: 7, lots: 5 }, at)
    expect(found).toEqual([{ check: 'reserved', site: 'S1', sku: 'S', location: 'L', found: 5, expected: 7, outcome: 'needs-admin' }])
  })
})

it('a run summary is cut to fit its column, keeping its counts', () => {
  const found = Array.from({ length: 500 }, (_, i) => ({
    check: 'ledger' as const,
    sku: `SKU-${i}`.padEnd(60, 'x'),
    location: 'L-1',
    found: i,
    expected: 0,
    outcome: 'corrected' as const,
  }))
  const text = fitSummary({ byCheck: { ledger: 500 }, needsAdmin: 0, found })
  expect(text.length).toBeLessThanOrEqual(8000)
  expect(JSON.parse(text)).toMatchObject({ byCheck: { ledger: 500 } })
})

describe('the dirty set names levels per site', () => {
  it('reads site, location and sku back, whatever the sku holds', () => {
    const members = [levelName('dc1', 'A-01', 'P@1|x'), levelName('dc2', 'A-01', 'P@1|x'), 'dc1|*@Q', '*|*@R']
    expect(Object.fromEntries(touchedLevels(members))).toEqual({
      'P@1|x': [
        { site: 'dc1', location: 'A-01' },
        { site: 'dc2', location: 'A-01' },
      ],
      Q: [{ site: 'dc1', location: '*' }],
      R: [{ site: '*', location: '*' }],
    })
  })
})
