import { setTimeout as sleep } from 'node:timers/promises'
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import type { Ack, ScanEvent } from '@wh/shared'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'
import { TestDevice } from '../helpers/test-device.ts'
import { countBadInputs, countFault } from './harness/fault-log.ts'
import { testSeed } from './harness/fault-test.ts'
import { byProfile } from './harness/profile.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { startWorkload } from './workload/workload-run.ts'

// Items 1 and 2: duplicates and conflicts, over two hubs in one share group.
const stack = useSharedStack({ label: 'f01dup', products: 16, locations: 3, devices: 7 })
// The workload owns devices 1-4 and products 1-8 and runs first: its model starts from nothing and
// checks every level. The other tests take the rest, each device with one test only (its deviceSeq starts over with each TestDevice).

const statusesOf = (device: TestDevice, eventId: string) =>
  device
    .acksFor(eventId)
    .map((a) => a.code ?? a.status)
    .sort()

describe('item 1: the same event again and again', () => {
  it('MQTT DUP redelivery after forced reconnects of the devices and of a hub, under the seeded workload', async () => {
    const s = stack.current
    const seed = testSeed('dup-redelivery')
    // A third hub reaches the broker through a proxy, so its link can be cut with messages in flight.
    const proxy = await startTcpProxy(Number(new URL(s.broker.url).port))
    const proxied = await s.startHub({ MQTT_URL: `mqtt://127.0.0.1:${proxy.port}` })
    const shape = { devices: 4, productsPerDevice: 2, locations: 3, eventsPerDevice: byProfile({ ci: 40, full: 120 }) }
    const run = await startWorkload(s, { seed, shape, ratePerSecond: 80 })
    try {
      const rounds = byProfile({ ci: 2, full: 4 })
      for (let r = 0; r < rounds; r++) {
        await run.reach(((r + 1) * shape.devices * shape.eventsPerDevice) / (rounds + 2))
        // Another client takes a device's client id: the broker drops the device, which reconnects
        // and sends its unacknowledged QoS 1 publishes again with DUP set, and its outbox after them.
        const victim = s.scanners.clientId(s.fixture.devices[r % shape.devices]!)
        const thief = await mqtt.connectAsync(s.broker.url, { protocolVersion: 5, clientId: victim, clean: false, reconnectPeriod: 0 })
        await thief.endAsync(true)
        countFault(1, 'device client id taken over')
        await proxy.cut()
        await sleep(300)
        await proxy.restore()
        countFault(1, 'hub-broker link cut')
      }
      expect(await run.settle(30_000), 'I4').toEqual([])
      console.log(`item 1 dup-redelivery: ${run.describe()}`)
      expect(await checkAll(s, { item: 1, run })).toEqual([])
    } finally {
      await run.stop()
      // Stopped before its link goes: a link dropped under it would look half-open to the broker,
      // which would go on handing it the share group's messages until its keepalive ran out.
      await proxied.stop()
      await proxy.close()
    }
  })

  it('5 copies of each event, shuffled over two hubs: one applied, four duplicates, one ledger row', async () => {
    const s = stack.current
    const rnd = seededRandom(testSeed('five-copies'))
    await s.startHub()
    await s.startHub()
    const devices = await Promise.all(s.fixture.devices.slice(4, 6).map((id) => TestDevice.connect(s.env, id)))
    const perDevice = byProfile({ ci: 40, full: 200 })
    const sent = devices.map((device) =>
      Array.from({ length: perDevice }, () =>
        device.event({
          type: 'receive',
          barcode: rnd.pick(s.fixture.skus.slice(8, 14)),
          location: rnd.pick(s.fixture.locations),
          qty: rnd.int(1, 9),
        }),
      ),
    )
    await Promise.all(
      devices.map((d, i) => Promise.all(rnd.shuffle(sent[i]!.flatMap((e) => Array<ScanEvent>(5).fill(e))).map((e) => d.publish(e)))),
    )
    await Promise.all(devices.map((d) => d.waitFor((acks) => acks.length >= perDevice * 5, 60_000)))
    for (const [i, device] of devices.entries())
      for (const e of sent[i]!) {
        expect(statusesOf(device, e.eventId), `${device.deviceId} seq ${e.deviceSeq}`).toEqual(['applied', ...Array(4).fill('duplicate')])
        const settled = device.acksFor(e.eventId).filter((a) => a.status === 'duplicate')
        expect(settled.every((a) => a.settledAs === 'applied')).toBe(true)
      }
    await Promise.all(devices.map((d) => d.close()))
    expect(await checkAll(s, { item: 1 })).toEqual([])
  })
})

describe('item 2: the same eventId with another payload', () => {
  it('is a CONFLICT, whether the first copy was applied, held or is still in flight, and the ledger keeps the first', async () => {
    const s = stack.current
    const rnd = seededRandom(testSeed('conflicts'))
    const [device] = await Promise.all([TestDevice.connect(s.env, s.fixture.devices[6]!)])
    const sku = s.fixture.skus[15]!
    const [loc, other] = s.fixture.locations as [string, string]
    const variants: ((e: ScanEvent) => ScanEvent)[] = [
      (e) => ({ ...e, qty: (e.qty ?? 1) + 1 }),
      (e) => ({ ...e, location: other }),
      (e) => ({ ...e, barcode: s.fixture.skus[14]! }),
      (e) => ({ ...e, type: e.type === 'receive' ? 'adjust' : 'receive', reason: 'conflict test' }),
      (e) => ({ ...e, reason: 'another reason' }),
      (e) => ({ ...e, scannedAt: new Date(0).toISOString() }),
    ]
    const answer = async (e: ScanEvent, n = 1) => {
      await device.publish(e)
      return (await device.waitFor((acks) => acks.filter((a) => a.eventId === e.eventId).length >= n)).filter(
        (a) => a.eventId === e.eventId,
      )
    }
    // Settled first (applied, then held), then the other copy.
    for (const first of [
      device.event({ type: 'receive', barcode: sku, location: loc, qty: 5 }),
      device.event({ type: 'pick', barcode: sku, location: loc, qty: 1000 }),
    ]) {
      const [firstAck] = await answer(first)
      expect(['applied', 'held']).toContain(firstAck!.status)
      const before = await s.inspect.levels()
      for (const spoil of variants) {
        const acks = await answer(spoil(first), device.acksFor(first.eventId).length + 1)
        expect(acks.at(-1)).toMatchObject({ eventId: first.eventId, status: 'rejected', code: 'CONFLICT' } satisfies Partial<Ack>)
      }
      expect(await s.inspect.levels()).toEqual(before)
      expect(await s.inspect.movementCount(first.eventId)).toBe(firstAck!.status === 'applied' ? 1 : 0)
    }
    // Both copies at once, racing through the hubs: exactly one is settled, the other is a conflict.
    const races = byProfile({ ci: 10, full: 40 })
    const pairs = Array.from({ length: races }, () => {
      const e = device.event({ type: 'receive', barcode: sku, location: loc, qty: rnd.int(1, 5) })
      return [e, rnd.pick(variants)(e)] as const
    })
    await Promise.all(pairs.flatMap(([a, b]) => (rnd.next() < 0.5 ? [a, b] : [b, a])).map((e) => device.publish(e)))
    await device.waitFor((acks) => pairs.every(([a]) => acks.filter((x) => x.eventId === a.eventId).length >= 2), 30_000)
    for (const [a] of pairs) {
      expect(statusesOf(device, a.eventId), `seq ${a.deviceSeq}`).toEqual(['CONFLICT', 'applied'])
      expect(await s.inspect.movementCount(a.eventId)).toBe(1)
    }
    countBadInputs(2, variants.length * 2 + races)
    await device.close()
    expect(await checkAll(s, { item: 2 })).toEqual([])
  })
})
