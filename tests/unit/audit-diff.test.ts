import { describe, expect, it } from 'vitest'
import { fieldChanges } from '../../console/src/pages/audit/audit-diff.ts'

describe("the audit log's field changes", () => {
  it('lists the fields a change made different, changes first, and leaves out what stayed', () => {
    const before = { status: 'pending', reasonCode: 'INSUFFICIENT_STOCK', site: 'site1' }
    const after = { status: 'approved', site: 'site1', countedOnHand: 3 }
    expect(fieldChanges(before, after)).toEqual([
      { field: 'status', kind: 'changed', before: 'pending', after: 'approved' },
      { field: 'countedOnHand', kind: 'set', after: '3' },
      // Recorded before only: context, not a removal (a change records what it touched).
      { field: 'reasonCode', kind: 'context', before: 'INSUFFICIENT_STOCK' },
    ])
  })

  it('reads nested records as paths, arrays as compact JSON, and null as none', () => {
    expect(
      fieldChanges({ level: { onHand: 27, reserved: 0 } }, { level: { onHand: 20, reserved: 0 }, lots: ['A', 'B'], po: null }),
    ).toEqual([
      { field: 'level.onHand', kind: 'changed', before: '27', after: '20' },
      { field: 'lots', kind: 'set', after: '["A","B"]' },
      { field: 'po', kind: 'set', after: 'none' },
    ])
  })

  it('a creation sets every field; a deletion deletes every one', () => {
    expect(fieldChanges(null, { sku: 'P-1' })).toEqual([{ field: 'sku', kind: 'set', after: 'P-1' }])
    expect(fieldChanges({ sku: 'P-1' }, null)).toEqual([{ field: 'sku', kind: 'deleted', before: 'P-1' }])
    expect(fieldChanges(null, null)).toEqual([])
  })
})
