import { describe, expect, it } from 'vitest'
import { MAX_QTY, type ScanEvent } from '@wh/shared'
import { QTY_COLUMN_MAX } from '../../hub/src/apply/column-range.ts'
import { partitionOf } from '../../hub/src/partition/partition-key.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('range', { products: 5, locations: 1, devices: 1 })

describe("a level at its column's maximum", () => {
  it('refuses the receipt that would pass it with a code, before the database sees it, and the partition goes on', async () => {
    const device = s.devices[0]!
    const { skus, locations } = s.fixture
    // P-1 and P-5 (product ids 1 and 5) share a partition, so P-5's events queue behind P-1's.
    const [full, other] = [skus[0]!, skus[4]!]
    expect(partitionOf(1, 4)).toBe(partitionOf(5, 4))
    const location = locations[0]!
    const receive = (barcode: string, qty: number) => device.event({ type: 'receive', barcode, location, qty })

    // As many of the largest receipts as the column holds, with P-5's scans among them.
    const fills = Math.floor(QTY_COLUMN_MAX / MAX_QTY)
    const events: ScanEvent[] = []
    for (let i = 0; i < fills; i++) events.push(receive(full, MAX_QTY), ...(i % 100 === 0 ? [receive(other, 1)] : []))
    const over = receive(full, MAX_QTY)
    const behind = [receive(other, 2), device.event({ type: 'pick', barcode: other, location, qty: 1 })]
    const toTheTop = receive(full, QTY_COLUMN_MAX - fills * MAX_QTY)
    events.push(over, ...behind, toTheTop)
    await Promise.all(events.map((e) => device.publish(e)))
    await device.waitFor((acks) => acks.length >= events.length, 120_000)

    expect(device.acksFor(over.eventId)).toEqual([
      expect.objectContaining({ status: 'held', code: 'QTY_OUT_OF_RANGE', onHand: fills * MAX_QTY }),
    ])
    const others = events.filter((e) => e !== over).flatMap((e) => device.acksFor(e.eventId))
    expect(others.filter((a) => a.status !== 'applied')).toEqual([])
    expect(device.acksFor(toTheTop.eventId)[0]).toMatchObject({ status: 'applied', onHand: QTY_COLUMN_MAX })
    expect(await s.inspect.levels()).toEqual([
      { site: SITE, sku: full, location, onHand: QTY_COLUMN_MAX, reserved: 0 },
      { site: SITE, sku: other, location, onHand: Math.ceil(fills / 100) + 1, reserved: 0 },
    ])
    const held = await s.inspect.rows<{ event_id: string; reason_code: string }>('SELECT event_id, reason_code FROM held_events')
    expect(held).toEqual([{ event_id: over.eventId, reason_code: 'QTY_OUT_OF_RANGE' }])
    expect(await s.inspect.inconsistencies()).toEqual([])

    // Refused by the planner: no batch failed in the database, nothing was set aside.
    const metrics = parsePrometheusText((await s.hubs[0]!.inject({ url: '/metrics', headers: bearer(s.fixture.keys.metrics) })).body)
    expect(sumOf(metrics, 'wh_drain_failures_total')).toBe(0)
    expect(sumOf(metrics, 'wh_events_set_aside_total')).toBe(0)
  })
})
