import { describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { planBatch, reservationKey, type SettledEvent } from '../../hub/src/apply/batch-plan.ts'
import { levelKey, type StockLevel as Level } from '../../hub/src/stock/stock-level.ts'
import { changedStock } from '../../hub/src/apply/changed-stock.ts'
import type { LotState } from '../../hub/src/stock/lot-plan.ts'
import { QTY_COLUMN_MAX } from '../../hub/src/apply/column-range.ts'
import type { PurchaseOrderState } from '../../hub/src/apply/po-receipt.ts'
import type { QueuedEvent } from '../../hub/src/partition/queued-event.ts'

let seq = 0
function item(type: ScanEvent['type'], qty: number, extra: Partial<QueuedEvent> = {}): QueuedEvent {
  seq++
  return {
    event: {
      eventId: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
      deviceId: 'D1',
      deviceSeq: seq,
      type,
      barcode: 'P1',
      location: 'A',
    },
    site: 's1',
    hash: `h${seq}`,
    productId: 1,
    sku: 'P1',
    locationId: 10,
    locationCode: 'A',
    qty,
    ...extra,
  }
}
const levels = (...ls: Level[]) => new Map(ls.map((l) => [levelKey(l.productId, l.locationId), l]))
const at = (onHand: number, reserved = 0, locationId = 10): Level => ({ productId: 1, locationId, onHand, reserved, version: 3 })
const none = new Map<string, SettledEvent>()

describe('planBatch', () => {
  it('applies receive, count and pick in order, recording the count as its variance', () => {
    const plan = planBatch([item('receive', 5), item('count', 3), item('pick', 3)], { levels: levels(), settled: none })
    expect(plan.movements.map((m) => [m.qtyDelta, m.onHandAfter])).toEqual([
      [5, 5],
      [-2, 3],
      [-3, 0],
    ])
    expect(plan.outcomes.map((o) => o.ack.status)).toEqual(['applied', 'applied', 'applied'])
    expect(plan.outcomes.map((o) => o.ack.onHand)).toEqual([5, 3, 0])
    expect(plan.changed).toEqual([{ productId: 1, locationId: 10, onHand: 0, reserved: 0, version: 3 }])
  })

  it('holds a pick beyond what is available, leaving stock as it was', () => {
    const plan = planBatch([item('pick', 4)], { levels: levels(at(5, 2)), settled: none })
    expect(plan.movements).toEqual([])
    expect(plan.held).toHaveLength(1)
    expect(plan.outcomes[0]!.ack).toMatchObject({ status: 'held', code: 'INSUFFICIENT_STOCK', onHand: 5, available: 3 })
    expect(plan.changed).toEqual([])
  })

  it('holds a count below the reserved quantity, and says so to a second copy', () => {
    const count = item('count', 1)
    const plan = planBatch([count, count], { levels: levels(at(5, 2)), settled: none })
    expect(plan.outcomes.map((o) => [o.ack.status, o.ack.settledAs])).toEqual([
      ['held', undefined],
      ['duplicate', 'held'],
    ])
  })

  it('moves between two locations as two legs of one event', () => {
    const plan = planBatch([item('move', 2, { toLocationId: 11, toLocationCode: 'B' })], { levels: levels(at(5)), settled: none })
    expect(plan.movements.map((m) => [m.leg, m.locationId, m.qtyDelta, m.onHandAfter])).toEqual([
      [0, 10, -2, 3],
      [1, 11, 2, 2],
    ])
    expect(plan.changed.map((l) => [l.locationId, l.onHand, l.version])).toEqual([
      [10, 3, 4],
      [11, 2, 1],
    ])
  })

  it('holds an adjust that would drop on-hand below the reserved quantity, applies one that does not', () => {
    const plan = planBatch([item('adjust', -4), item('adjust', -3)], { levels: levels(at(5, 2)), settled: none })
    expect(plan.outcomes.map((o) => o.ack.status)).toEqual(['held', 'applied'])
    expect(plan.changed[0]!.onHand).toBe(2)
  })

  it('answers a second copy in the same batch as a duplicate and a changed payload as a conflict', () => {
    const first = item('receive', 5)
    const conflicting = { ...first, hash: 'other' }
    const plan = planBatch([first, first, conflicting], { levels: levels(), settled: none })
    expect(plan.outcomes.map((o) => [o.ack.status, o.ack.code])).toEqual([
      ['applied', undefined],
      ['duplicate', undefined],
      ['rejected', 'CONFLICT'],
    ])
    expect(plan.movements).toHaveLength(1)
    expect(plan.outcomes[1]!.ack.settledAs).toBe('applied')
    expect(plan.outcomes[1]!.settledEarlier).toBeUndefined()
  })

  it('marks events the database settled earlier, so their effects are redone, without moving stock', () => {
    const replay = item('receive', 5)
    const plan = planBatch([replay], {
      levels: levels(at(5)),
      settled: new Map([[replay.event.eventId, { hash: replay.hash, status: 'applied' }]]),
    })
    expect(plan.movements).toEqual([])
    expect(plan.outcomes[0]).toMatchObject({ settledEarlier: 'applied', ack: { status: 'duplicate', settledAs: 'applied', onHand: 5 } })
  })

  it("takes an order's reserved units first on a pick with its orderId, and holds a pick beyond what is reserved and available", () => {
    const withOrder = (qty: number) => {
      const i = item('pick', qty)
      i.event.orderId = 'O-1'
      return i
    }
    const reservations = new Map([[reservationKey('O-1', 1, 10), { id: 7, qty: 3 }]])
    // 5 on hand, 3 of them reserved for O-1: 2 available to anyone else.
    const plan = planBatch([withOrder(2), item('pick', 2), withOrder(3)], { levels: levels(at(5, 3)), settled: none, reservations })
    expect(plan.outcomes.map((o) => [o.ack.status, o.ack.onHand, o.ack.available])).toEqual([
      ['applied', 3, 2],
      ['applied', 1, 0],
      ['held', 1, 0],
    ])
    expect(plan.consumed).toEqual([{ reservationId: 7, qty: 2 }])
    expect(plan.changed).toEqual([{ productId: 1, locationId: 10, onHand: 1, reserved: 1, version: 5 }])
  })

  it('names an order picked once its picks took every reservation it holds, not before', () => {
    const forOrder = (orderId: string, qty: number, locationId = 10) => {
      const i = item('pick', qty, { locationId })
      i.event.orderId = orderId
      return i
    }
    // O-1 holds 2 here and 1 at location 11; O-2 holds 2 here.
    const reservations = new Map([
      [reservationKey('O-1', 1, 10), { id: 1, qty: 2 }],
      [reservationKey('O-1', 1, 11), { id: 2, qty: 1 }],
      [reservationKey('O-2', 1, 10), { id: 3, qty: 2 }],
    ])
    // Two batches in turn; the plan takes consumed units off the shared reservations, as the database would.
    const state = () => ({ levels: levels(at(9, 4), at(1, 1, 11)), settled: none, reservations })
    expect(planBatch([forOrder('O-1', 2), forOrder('O-2', 1)], state()).pickedOrders).toEqual([])
    expect(planBatch([forOrder('O-1', 1, 11), forOrder('O-2', 1)], state()).pickedOrders).toEqual(['O-1', 'O-2'])
  })

  describe('lots', () => {
    const lot = (id: number, code: string, qty: number, expiry: string | null, locationId = 10): LotState => ({
      id,
      productId: 1,
      locationId,
      code,
      qty,
      expiry,
      poNumber: null,
    })
    const lotsAt = (...ls: LotState[]) => new Map([[levelKey(1, 10), ls]])
    const taken = (plan: ReturnType<typeof planBatch>) => plan.lotMovements.map((m) => [m.lot.code, m.qtyDelta])

    it('picks the first expiry first, undated stock last, and the older of two same-dated lots first', () => {
      const lots = lotsAt(
        lot(1, '', 4, null),
        lot(2, 'LATE', 3, '2027-06-01'),
        lot(3, 'EARLY-B', 2, '2027-01-01'),
        lot(4, 'EARLY-A', 2, '2027-01-01'),
      )
      const plan = planBatch([item('pick', 8)], { levels: levels(at(11)), settled: none, lots })
      expect(taken(plan)).toEqual([
        ['EARLY-B', -2],
        ['EARLY-A', -2],
        ['LATE', -3],
        ['', -1],
      ])
      expect(plan.movements[0]).toMatchObject({ qtyDelta: -8, lot: null })
      expect(plan.changedLots.map((l) => [l.code, l.qty])).toEqual([
        ['EARLY-B', 0],
        ['EARLY-A', 0],
        ['LATE', 0],
        ['', 3],
      ])
    })

    it('takes a named lot only from that lot, and holds the pick when the lot holds less', () => {
      const lots = lotsAt(lot(1, 'A', 5, '2027-01-01'), lot(2, 'B', 2, '2028-01-01'))
      const plan = planBatch([item('pick', 2, { lot: 'B' }), item('pick', 1, { lot: 'B' })], { levels: levels(at(7)), settled: none, lots })
      expect(taken(plan)).toEqual([['B', -2]])
      expect(plan.movements[0]).toMatchObject({ lot: 'B' })
      expect(plan.outcomes[1]!.ack).toMatchObject({ status: 'held', code: 'LOT_SHORT', onHand: 5 })
    })

    it('receives into the named lot with its expiry, or into the unnamed lot, and a move carries the lots along', () => {
      const lots = new Map<string, LotState[]>()
      const plan = planBatch(
        [
          item('receive', 5, { lot: 'L9', expiry: '2027-03-31' }),
          item('receive', 2),
          item('move', 6, { toLocationId: 11, toLocationCode: 'B' }),
        ],
        { levels: levels(), settled: none, lots },
      )
      expect(plan.outcomes.map((o) => o.ack.status)).toEqual(['applied', 'applied', 'applied'])
      expect(lots.get(levelKey(1, 11))!.map((l) => [l.code, l.qty, l.expiry])).toEqual([
        ['L9', 5, '2027-03-31'],
        ['', 1, null],
      ])
      expect(lots.get(levelKey(1, 10))!.map((l) => [l.code, l.qty])).toEqual([
        ['L9', 0],
        ['', 1],
      ])
      expect(plan.lotMovements.filter((m) => m.leg === 1).map((m) => [m.lot.code, m.qtyDelta])).toEqual([
        ['L9', 5],
        ['', 1],
      ])
    })
  })

  describe('receiving against a purchase order', () => {
    const po = (status = 'open', received = 0): PurchaseOrderState => ({
      number: 'PO-1',
      site: 's1',
      status,
      lines: new Map([[1, { id: 70, ordered: 10, received }]]),
    })
    const receipt = (qty: number, extra: Partial<QueuedEvent> = {}) => item('receive', qty, { poNumber: 'PO-1', ...extra })

    it('counts the receipt on its line and holds the one that would exceed the order', () => {
      const plan = planBatch([receipt(6), receipt(3), receipt(2)], {
        levels: levels(),
        settled: none,
        purchaseOrders: new Map([['PO-1', po()]]),
      })
      expect(plan.outcomes.map((o) => [o.ack.status, o.ack.code])).toEqual([
        ['applied', undefined],
        ['applied', undefined],
        ['held', 'OVER_RECEIPT'],
      ])
      expect(plan.changedPoLines).toEqual([{ id: 70, ordered: 10, received: 9 }])
      expect(plan.changedLots.map((l) => l.poNumber)).toEqual(['PO-1'])
    })

    it.each([
      ['an unknown PO', new Map<string, PurchaseOrderState>(), {}, 'UNKNOWN_PO'],
      ["another site's PO", new Map([['PO-1', po()]]), { site: 's2' }, 'UNKNOWN_PO'],
      ['a closed PO', new Map([['PO-1', po('closed')]]), {}, 'PO_NOT_OPEN'],
      ['a product not on the PO', new Map([['PO-1', po()]]), { productId: 2 }, 'NOT_ON_PO'],
    ])('holds a receipt against %s', (_name, purchaseOrders, extra, code) => {
      const plan = planBatch([receipt(1, extra)], { levels: levels(), settled: none, purchaseOrders })
      expect(plan.outcomes[0]!.ack).toMatchObject({ status: 'held', code })
      expect(plan.movements).toEqual([])
      expect(plan.changedPoLines).toEqual([])
    })
  })

  it('gives the cache nothing for a replayed held event where nothing was ever stocked', () => {
    const pick = item('pick', 2)
    const state = { levels: levels(), settled: new Map([[pick.event.eventId, { hash: pick.hash, status: 'held' as const }]]) }
    const plan = planBatch([pick], state)
    expect(plan.outcomes[0]).toMatchObject({ settledEarlier: 'held', ack: { status: 'duplicate', settledAs: 'held' } })
    expect(changedStock({ plan, levels: state.levels })).toEqual([])
  })

  describe("a column's range", () => {
    const nearTop = (room: number, locationId = 10) => at(QTY_COLUMN_MAX - room, 0, locationId)

    it('holds a receipt, a positive adjust and a move that would carry a level past its INT column, applies what still fits', () => {
      const move = item('move', 5, { toLocationId: 11, toLocationCode: 'B' })
      const plan = planBatch([item('receive', 11), item('adjust', 11), move, item('receive', 10)], {
        levels: levels(nearTop(10), nearTop(4, 11)),
        settled: none,
      })
      expect(plan.outcomes.map((o) => [o.ack.status, o.ack.code])).toEqual([
        ['held', 'QTY_OUT_OF_RANGE'],
        ['held', 'QTY_OUT_OF_RANGE'],
        ['held', 'QTY_OUT_OF_RANGE'],
        ['applied', undefined],
      ])
      expect(plan.held[2]!.reason).toContain(`B would hold ${QTY_COLUMN_MAX + 1}`)
      expect(plan.movements.map((m) => m.onHandAfter)).toEqual([QTY_COLUMN_MAX])
      expect(plan.changedLots.map((l) => l.qty)).toEqual([10])
    })

    it('holds a receipt into a lot that has drifted above its level, before counting it on its PO', () => {
      const lots = new Map([
        [levelKey(1, 10), [{ id: 1, productId: 1, locationId: 10, code: 'A', qty: QTY_COLUMN_MAX, expiry: null, poNumber: null }]],
      ])
      const line = { id: 70, ordered: 10, received: 0 }
      const purchaseOrders = new Map([['PO-1', { number: 'PO-1', site: 's1', status: 'open', lines: new Map([[1, line]]) }]])
      const plan = planBatch([item('receive', 1, { lot: 'A', poNumber: 'PO-1' })], {
        levels: levels(at(5)),
        settled: none,
        lots,
        purchaseOrders,
      })
      expect(plan.outcomes[0]!.ack).toMatchObject({ status: 'held', code: 'QTY_OUT_OF_RANGE' })
      expect(line.received).toBe(0)
      expect(plan.changedPoLines).toEqual([])
    })
  })

  it('holds the events set aside as APPLY_FAILED, unplanned, and answers their copies as duplicates of the hold', () => {
    const [first, bad, last] = [item('receive', 2), item('receive', 3), item('pick', 1)]
    const plan = planBatch([first, bad, last, bad], { levels: levels(), settled: none }, new Map([[bad.event.eventId, 'refused']]))
    expect(plan.outcomes.map((o) => [o.ack.status, o.ack.code ?? o.ack.settledAs])).toEqual([
      ['applied', undefined],
      ['held', 'APPLY_FAILED'],
      ['applied', undefined],
      ['duplicate', 'held'],
    ])
    expect(plan.held.map((h) => [h.item.event.eventId, h.code, h.reason])).toEqual([
      [bad.event.eventId, 'APPLY_FAILED', expect.stringContaining('refused')],
    ])
    expect(plan.movements.map((m) => m.qtyDelta)).toEqual([2, -1])
  })
})
