import { describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { levelKey, planBatch, reservationKey, type Level, type SettledEvent } from '../../hub/src/inventory/apply-plan.ts'
import type { QueuedEvent } from '../../hub/src/partitions/queued-event.ts'

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
    const plan = planBatch([item('receive', 5), item('count', 3), item('pick', 3)], levels(), none)
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
    const plan = planBatch([item('pick', 4)], levels(at(5, 2)), none)
    expect(plan.movements).toEqual([])
    expect(plan.held).toHaveLength(1)
    expect(plan.outcomes[0]!.ack).toMatchObject({ status: 'held', code: 'INSUFFICIENT_STOCK', onHand: 5, available: 3 })
    expect(plan.changed).toEqual([])
  })

  it('holds a count below the reserved quantity, and says so to a second copy', () => {
    const count = item('count', 1)
    const plan = planBatch([count, count], levels(at(5, 2)), none)
    expect(plan.outcomes.map((o) => [o.ack.status, o.ack.settledAs])).toEqual([
      ['held', undefined],
      ['duplicate', 'held'],
    ])
  })

  it('moves between two locations as two legs of one event', () => {
    const plan = planBatch([item('move', 2, { toLocationId: 11, toLocationCode: 'B' })], levels(at(5)), none)
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
    const plan = planBatch([item('adjust', -4), item('adjust', -3)], levels(at(5, 2)), none)
    expect(plan.outcomes.map((o) => o.ack.status)).toEqual(['held', 'applied'])
    expect(plan.changed[0]!.onHand).toBe(2)
  })

  it('answers a second copy in the same batch as a duplicate and a changed payload as a conflict', () => {
    const first = item('receive', 5)
    const conflicting = { ...first, hash: 'other' }
    const plan = planBatch([first, first, conflicting], levels(), none)
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
    const plan = planBatch([replay], levels(at(5)), new Map([[replay.event.eventId, { hash: replay.hash, status: 'applied' }]]))
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
    const plan = planBatch([withOrder(2), item('pick', 2), withOrder(3)], levels(at(5, 3)), none, reservations)
    expect(plan.outcomes.map((o) => [o.ack.status, o.ack.onHand, o.ack.available])).toEqual([
      ['applied', 3, 2],
      ['applied', 1, 0],
      ['held', 1, 0],
    ])
    expect(plan.consumed).toEqual([{ reservationId: 7, qty: 2 }])
    expect(plan.changed).toEqual([{ productId: 1, locationId: 10, onHand: 1, reserved: 1, version: 5 }])
  })
})
