import { describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'
import { SITE } from '../helpers/fixtures.ts'
import { TestDevice } from '../helpers/test-device.ts'
import { testSeed } from './harness/fault-test.ts'
import { byProfile } from './harness/profile.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { ReferenceModel } from './workload/reference-model.ts'

// Items 3 and 4, over two hubs in one share group. Gaps wait 1.5 s here, not the harness' 20 s.
const GAP_WAIT_MS = 1500
const stack = useSharedStack({ label: 'f03order', products: 6, locations: 2, devices: 12, hubEnv: { SEQUENCE_GAP_WAIT_MS: GAP_WAIT_MS } })

const byType = { receive: 6, count: 2, pick: 4 } as const

describe('item 3: deviceSeq out of order, and some never sent', () => {
  it('applies each device in deviceSeq order, reports the gaps, applies the late ones after; I1', async () => {
    const s = stack.current
    const rnd = seededRandom(testSeed('out-of-order'))
    const hubs = [await s.startHub(), await s.startHub()]
    const devices = await Promise.all(s.fixture.devices.slice(0, 4).map((id) => TestDevice.connect(s.env, id)))
    const length = byProfile({ ci: 30, full: 120 })
    const model = new ReferenceModel()
    const plans = devices.map((device, d) => {
      // Each device owns one product (so the model's levels are exact), scanned at both locations.
      const sku = s.fixture.skus[d]!
      const events: ScanEvent[] = Array.from({ length }, () => {
        const type = rnd.pick(Object.keys(byType) as (keyof typeof byType)[])
        return device.event({
          type,
          barcode: sku,
          location: rnd.pick(s.fixture.locations),
          qty: rnd.int(type === 'count' ? 0 : 1, byType[type]),
        })
      })
      // A few positions never come in time: a single one and a run of three.
      const at = rnd.int(2, length - 8)
      const missing = new Set([events[at]!, ...events.slice(at + 3, at + 6)])
      return { device, events, missing, sent: rnd.shuffle(events.filter((e) => !missing.has(e))) }
    })
    const expected = new Map<string, string>()
    for (const p of plans) for (const e of p.events) if (!p.missing.has(e)) expected.set(e.eventId, model.apply(e))
    for (const p of plans) for (const e of p.events) if (p.missing.has(e)) expected.set(e.eventId, model.apply(e))

    await Promise.all(plans.map((p) => Promise.all(p.sent.map((e) => p.device.publish(e)))))
    await Promise.all(plans.map((p) => p.device.waitFor((acks) => acks.length >= p.sent.length, 30_000)))
    // The late ones: their successors did not wait for them forever, and they still apply.
    // Sent one at a time: past a reported gap, the hub no longer orders a device's stragglers among
    // themselves (two of them racing through two hubs may apply in either order).
    for (const p of plans)
      for (const e of p.events.filter((x) => p.missing.has(x))) {
        await p.device.publish(e)
        await p.device.waitFor((acks) => acks.some((a) => a.eventId === e.eventId))
      }

    for (const p of plans)
      for (const e of p.events)
        expect(
          p.device.acksFor(e.eventId).map((a) => a.status),
          `${p.device.deviceId} seq ${e.deviceSeq} ${e.type}`,
        ).toEqual([expected.get(e.eventId)])
    const levels = new Map((await s.inspect.levels()).map((l) => [`${l.sku}@${l.location}`, l.onHand]))
    for (const [key, onHand] of model.levels) expect(levels.get(key) ?? 0, key).toBe(onHand)
    // Each device's ledger rows are in deviceSeq order, the late ones last.
    for (const p of plans) {
      const rows = await s.inspect.rows<{ device_seq: number }>(
        'SELECT device_seq FROM stock_movements WHERE device_id = ? AND leg = 0 ORDER BY id',
        [p.device.deviceId],
      )
      const order = [...p.events.filter((e) => !p.missing.has(e)), ...p.events.filter((e) => p.missing.has(e))]
        .filter((e) => expected.get(e.eventId) === 'applied')
        .map((e) => e.deviceSeq)
      expect(rows.map((r) => Number(r.device_seq))).toEqual(order)
    }
    // The gaps were reported by the hub that released them: the single position and the run.
    const gaps = hubs.flatMap((h) => h.output().split('\n')).filter((l) => l.includes('deviceSeq gap never filled'))
    for (const p of plans) {
      const [single, ...run] = [...p.missing].map((e) => e.deviceSeq)
      const reported = gaps.filter((l) => l.includes(`"deviceId":"${p.device.deviceId}"`))
      expect(
        reported.some((l) => l.includes(`"from":${single},"to":${single}`)),
        `${p.device.deviceId} gap ${single}`,
      ).toBe(true)
      expect(
        reported.some((l) => l.includes(`"from":${run[0]},"to":${run.at(-1)}`)),
        `${p.device.deviceId} gap ${run[0]}-${run.at(-1)}`,
      ).toBe(true)
    }
    await Promise.all(devices.map((d) => d.close()))
    expect(await checkAll(s, { item: 3 })).toEqual([])
  })
})

describe('item 4: 10,000 changes of one unit on one product, from 8 devices, through 2 hubs', () => {
  it('ends exactly where the changes add up, the ledger, the level and the cache agreeing (I1)', async () => {
    const s = stack.current
    const rnd = seededRandom(testSeed('plus-minus-one'))
    const changes = byProfile({ ci: 2000, full: 10_000 })
    const sku = s.fixture.skus[5]!
    const location = s.fixture.locations[0]!
    const devices = await Promise.all(s.fixture.devices.slice(4, 12).map((id) => TestDevice.connect(s.env, id)))
    // Enough stock first that no pick can be short, whatever the interleaving: then every change applies.
    const opening = devices[0]!.event({ type: 'receive', barcode: sku, location, qty: changes })
    await devices[0]!.publish(opening)
    await devices[0]!.waitFor((acks) => acks.length === 1)
    let expected = changes
    const perDevice = devices.map((device) =>
      Array.from({ length: changes / devices.length }, () => {
        const up = rnd.next() < 0.5
        expected += up ? 1 : -1
        return device.event({ type: up ? 'receive' : 'pick', barcode: sku, location, qty: 1 })
      }),
    )
    const started = Date.now()
    await Promise.all(devices.map((d, i) => Promise.all(perDevice[i]!.map((e) => d.publish(e)))))
    await Promise.all(devices.map((d, i) => d.waitFor((acks) => acks.length >= perDevice[i]!.length + (i === 0 ? 1 : 0), 120_000)))
    const seconds = (Date.now() - started) / 1000
    console.log(`item 4: ${changes} changes answered in ${seconds.toFixed(1)} s (${Math.round(changes / seconds)}/s), on hand ${expected}`)
    expect(devices.flatMap((d) => d.acks).filter((a) => a.status !== 'applied')).toEqual([])
    const [level] = (await s.inspect.levels()).filter((l) => l.sku === sku && l.location === location)
    expect(level!.onHand).toBe(expected)
    const [ledger] = await s.inspect.rows<{ n: number; total: string }>(
      'SELECT COUNT(*) AS n, SUM(m.qty_delta) AS total FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE p.sku = ?',
      [sku],
    )
    expect({ n: Number(ledger!.n), total: Number(ledger!.total) }).toEqual({ n: changes + 1, total: expected })
    expect((await s.inspect.cache.read(SITE, sku))?.locations[location]?.onHand).toBe(expected)
    await Promise.all(devices.map((d) => d.close()))
    expect(await checkAll(s, { item: 4 })).toEqual([])
  })
})
