import { describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('exactlyonce', { products: 10, locations: 3, devices: 20 })
const SEED = Number(process.env.TEST_SEED ?? Date.now() % 100_000)

describe(`1,000 events from 20 devices, each published twice, out of order (seed ${SEED})`, () => {
  it('applies every event exactly once and acks every copy', async () => {
    const { fixture, inspect, devices } = s
    const rnd = seededRandom(SEED)
    const expected = new Map<string, number>()
    const perDevice = devices.map((device) => {
      // Each device picks only what it has itself received before, so no order of devices can hold a pick.
      const own = new Map<string, number>()
      const events: ScanEvent[] = []
      for (let i = 0; i < 50; i++) {
        const sku = rnd.pick(fixture.skus)
        const location = rnd.pick(fixture.locations)
        const key = `${sku}@${location}`
        const canPick = own.get(key) ?? 0
        const pick = canPick > 0 && rnd.next() < 0.4
        const qty = pick ? rnd.int(1, canPick) : rnd.int(1, 5)
        // Half the receipts come as GS1 labels with the GTIN and a count, the rest as the SKU.
        const barcode = !pick && rnd.next() < 0.5 ? `(01)${fixture.gtins[fixture.skus.indexOf(sku)]}(37)${qty}` : sku
        events.push(device.event({ type: pick ? 'pick' : 'receive', barcode, location, qty }))
        own.set(key, canPick + (pick ? -qty : qty))
        expected.set(key, (expected.get(key) ?? 0) + (pick ? -qty : qty))
      }
      return { device, events }
    })

    // Every event twice, each device's copies shuffled, all devices publishing at once.
    await Promise.all(perDevice.map(({ device, events }) => Promise.all(rnd.shuffle([...events, ...events]).map((e) => device.publish(e)))))
    await Promise.all(perDevice.map(({ device, events }) => device.waitFor((acks) => acks.length >= events.length * 2, 45_000)))

    for (const { device, events } of perDevice) {
      for (const e of events) {
        const statuses = device
          .acksFor(e.eventId)
          .map((a) => a.status)
          .sort()
        expect(statuses, `${device.deviceId} seq ${e.deviceSeq}`).toEqual(['applied', 'duplicate'])
        expect(await inspect.movementCount(e.eventId)).toBe(1)
      }
    }
    const levels = await inspect.levels()
    const actual = new Map(levels.map((l) => [`${l.sku}@${l.location}`, l.onHand]))
    for (const [key, qty] of expected) expect(actual.get(key) ?? 0, key).toBe(qty)
    expect(await inspect.inconsistencies()).toEqual([])
    const [count] = await inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM stock_movements')
    expect(count?.n).toBe(1000)
  })
})
