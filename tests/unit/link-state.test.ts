import { describe, expect, it } from 'vitest'
import type { Ack, ScanEvent } from '@wh/shared'
import { initialLinkState, linkReducer, outcomeOf, OUTCOMES_KEPT, type LinkState } from '../../handheld/src/link/link-state.ts'

const event = (deviceSeq: number): ScanEvent => ({
  eventId: `0190f5a2-7c1e-7b3a-9f00-${String(deviceSeq).padStart(12, '0')}`,
  deviceId: 'HH-01',
  deviceSeq,
  type: 'move',
  barcode: 'SKU-1',
  location: 'A-01',
  toLocation: 'B-02',
  qty: 2,
})
const ack = (e: ScanEvent, status: Ack['status'], more: Partial<Ack> = {}): Ack => ({
  eventId: e.eventId,
  deviceSeq: e.deviceSeq,
  status,
  ...more,
})

describe("a scan's outcome", () => {
  it('is queued without an ack, with what was scanned and no empty members', () => {
    expect(outcomeOf(event(1), undefined, 5)).toEqual({
      eventId: event(1).eventId,
      deviceSeq: 1,
      type: 'move',
      barcode: 'SKU-1',
      location: 'A-01',
      toLocation: 'B-02',
      qty: 2,
      status: 'queued',
      at: 5,
    })
  })

  it('carries the stock after it from the ack', () => {
    const o = outcomeOf(event(1), ack(event(1), 'applied', { sku: 'SKU-1', onHand: 8, available: 6, location: 'B-02' }), 9)
    expect(o).toMatchObject({ status: 'applied', sku: 'SKU-1', onHand: 8, available: 6, at: 9 })
  })

  it('shows a duplicate as how its first copy was settled', () => {
    expect(outcomeOf(event(1), ack(event(1), 'duplicate', { settledAs: 'held', code: 'UNKNOWN_BARCODE' }), 1).status).toBe('held')
    expect(outcomeOf(event(1), ack(event(1), 'duplicate'), 1).status).toBe('duplicate')
  })
})

describe('the link state', () => {
  const run = (...actions: Parameters<typeof linkReducer>[1][]) => actions.reduce(linkReducer, initialLinkState)

  it('lists outcomes newest first, one per scan, the answer replacing `queued` but never the reverse', () => {
    const [a, b] = [event(1), event(2)]
    const state = run(
      { type: 'outcome', outcome: outcomeOf(a, undefined, 1) },
      { type: 'outcome', outcome: outcomeOf(b, undefined, 2) },
      { type: 'outcome', outcome: outcomeOf(a, ack(a, 'applied'), 3) },
      // A late `queued` (kept after its fast ack) and a late duplicate change nothing.
      { type: 'outcome', outcome: outcomeOf(a, undefined, 4) },
      { type: 'outcome', outcome: outcomeOf(a, ack(a, 'rejected'), 5) },
    )
    expect(state.outcomes.map((o) => [o.deviceSeq, o.status])).toEqual([
      [2, 'queued'],
      [1, 'applied'],
    ])
  })

  it(`keeps the newest ${OUTCOMES_KEPT}, also when outcomes kept from before are loaded after new ones`, () => {
    const loaded = Array.from({ length: 60 }, (_, i) => outcomeOf(event(i + 1), ack(event(i + 1), 'applied'), i))
    const state = run({ type: 'outcome', outcome: outcomeOf(event(61), undefined, 100) }, { type: 'loaded', outcomes: loaded })
    expect(state.outcomes).toHaveLength(OUTCOMES_KEPT)
    expect(state.outcomes[0]!.deviceSeq).toBe(61)
    expect(state.outcomes.at(-1)!.deviceSeq).toBe(61 - OUTCOMES_KEPT + 1)
  })

  it('shows a refusal until the hub answers one of its scans again', () => {
    const refused: LinkState = run({
      type: 'refused',
      ack: { eventId: null, status: 'rejected', code: 'BAD_SIGNATURE', message: 'rotated' },
    })
    expect(refused.refused).toEqual({ code: 'BAD_SIGNATURE', message: 'rotated' })
    const queued = linkReducer(refused, { type: 'outcome', outcome: outcomeOf(event(1), undefined, 1) })
    expect(queued.refused?.code).toBe('BAD_SIGNATURE')
    const answered = linkReducer(queued, { type: 'outcome', outcome: outcomeOf(event(1), ack(event(1), 'applied'), 2) })
    expect(answered.refused).toBeUndefined()
    expect('refused' in answered).toBe(false)
  })

  it('tracks the connection, the pending count and another tab', () => {
    const state = run({ type: 'connection', connection: 'online' }, { type: 'pending', pending: 3 }, { type: 'otherTab', otherTab: true })
    expect(state).toMatchObject({ connection: 'online', pending: 3, otherTab: true })
  })
})
