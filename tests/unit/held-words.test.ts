import { describe, expect, it } from 'vitest'
import type { HeldEvent } from '@wh/shared'
import { eventLine, explain, refusal } from '../../console/src/pages/exceptions/held-words.ts'

const held = (fields: Partial<HeldEvent>): HeldEvent => ({
  id: 1,
  eventId: 'e-1',
  deviceId: 'D-1',
  type: 'pick',
  sku: 'P-1',
  site: 'site1',
  location: 'A-01',
  qty: 5,
  reasonCode: 'INSUFFICIENT_STOCK',
  reason: 'Not enough available stock: pick 5, available 2',
  status: 'pending',
  createdAt: '2026-12-07T10:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  decisionReason: null,
  stockNow: { onHand: 2, available: 2 },
  ...fields,
})

describe('the exceptions page says in words what a held event is and why it was held', () => {
  it('describes the scan', () => {
    expect(eventLine(held({ orderId: '42' }))).toBe('Pick 5 × P-1 at A-01 for order 42')
    expect(eventLine(held({ type: 'move', toLocation: 'B-02', lot: 'L7' }))).toBe('Move 5 × P-1 from A-01 to B-02 lot L7')
    expect(eventLine(held({ type: 'receive', poNumber: 'PO-9' }))).toBe('Receive 5 × P-1 at A-01 on PO-9')
    expect(eventLine(held({ type: 'adjust', qty: -3 }))).toBe('Adjust P-1 by -3 at A-01')
  })

  it('explains a short pick or move with the stock at the location now', () => {
    expect(explain(held({}))).toBe('Picked 5 but the system shows only 2 available at A-01.')
    expect(explain(held({ stockNow: { onHand: 4, available: 1 } }))).toBe(
      'Picked 5 but the system shows only 1 available at A-01 (4 on hand, 3 reserved for orders).',
    )
    expect(explain(held({ type: 'move', toLocation: 'B-02' }))).toBe('Moved 5 but the system shows only 2 available at A-01.')
    expect(explain(held({ stockNow: { onHand: 9, available: 9 } }))).toBe(
      'Picked 5 when the system showed too few at A-01; 9 are available there now, so it can be approved as it is.',
    )
  })

  it('explains counts and adjustments below what is reserved', () => {
    expect(explain(held({ type: 'count', qty: 1, stockNow: { onHand: 6, available: 2 } }))).toBe(
      'Counted 1 at A-01, but 4 there are reserved for orders: a count below what is reserved needs a decision.',
    )
    expect(explain(held({ type: 'adjust', qty: -5, stockNow: { onHand: 6, available: 2 } }))).toBe(
      'Adjusting by -5 would leave A-01 with less than the 4 reserved for orders (6 on hand).',
    )
  })

  it('explains every other reason a scan is held for, and falls back to the hub’s text', () => {
    const receipt = { type: 'receive' as const, poNumber: 'PO-9' }
    const cases: [Partial<HeldEvent>, string][] = [
      [{ reasonCode: 'UNKNOWN_PO', ...receipt }, 'Received 5 against PO-9, but this site has no purchase order with that number.'],
      [{ reasonCode: 'PO_NOT_OPEN', ...receipt }, 'Received 5 against PO-9, but that purchase order is closed or cancelled.'],
      [{ reasonCode: 'NOT_ON_PO', ...receipt }, 'Received 5 × P-1 against PO-9, but it has no line for this product.'],
      [{ reasonCode: 'OVER_RECEIPT', ...receipt }, 'Received 5 against PO-9, more than is still to come on its line.'],
      [{ reasonCode: 'LOT_SHORT', lot: 'L7' }, 'Took 5 from lot L7 at A-01, but the system shows less than that in the lot.'],
      [{ reasonCode: 'QTY_OUT_OF_RANGE', type: 'receive' }, 'This would put more at A-01 than the hub can record for one location.'],
      [{ reasonCode: 'APPLY_FAILED' }, 'The hub could not write this event: the database refused it.'],
      [{ reasonCode: 'SOMETHING_NEW', reason: 'A reason the page does not know' }, 'A reason the page does not know'],
    ]
    for (const [fields, words] of cases) expect(explain(held(fields))).toContain(words)
  })

  it('tells a refusal as its title and the hub’s detail', () => {
    expect(refusal('HELD_DECIDED', 'held event 7 was already approved')).toBe(
      'The held event has already been decided: held event 7 was already approved',
    )
    expect(refusal('NOT_A_CODE', 'as said')).toBe('as said')
    expect(refusal('HELD_DECIDED', undefined)).toBe('The held event has already been decided')
  })
})
