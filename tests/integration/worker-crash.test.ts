import { afterAll, describe, expect, it } from 'vitest'
import { startHubProcess, type HubProcess } from '../helpers/hub-process.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

// This process only ingests; the workers run as child processes the test can kill.
const s = useScenario('crash', { products: 1, locations: 1, devices: 1, hubs: [{ HUB_ROLES: 'api,ingest' }] })
const workers: HubProcess[] = []
afterAll(() => Promise.all(workers.map((w) => w.stop('SIGKILL'))))

describe('a worker killed after its commit, before its ack', () => {
  it('is not applied twice on restart, and the cache, delta and ack still happen', async () => {
    const { fixture, inspect, env } = s
    const device = s.devices[0]!
    const sku = fixture.skus[0]!
    const location = fixture.locations[0]!
    const crashing = await startHubProcess(env, 'worker', { HUB_FAULT_POINT: 'after-commit' })
    workers.push(crashing)
    const event = device.event({ type: 'receive', barcode: sku, location, qty: 7 })
    await device.publish(event)

    expect(await crashing.exited).toBe('SIGKILL')
    expect(await inspect.movementCount(event.eventId)).toBe(1)
    expect(device.acks).toEqual([])
    expect(await inspect.cache.read(SITE, sku)).toBeUndefined()

    // The drain job stalled with the dead worker; a healthy worker takes it over and replays it.
    workers.push(await startHubProcess(env, 'worker'))
    const [ack] = await device.waitFor((acks) => acks.length >= 1, 30_000)
    expect(ack).toMatchObject({ eventId: event.eventId, status: 'applied', onHand: 7, available: 7 })
    expect(await inspect.movementCount(event.eventId)).toBe(1)
    expect((await inspect.levels())[0]?.onHand).toBe(7)
    expect(await inspect.inconsistencies()).toEqual([])
    expect((await inspect.cache.read(SITE, sku))?.onHand).toBe(7)
    const deltas = await inspect.redis.xRange(inspect.cache.keys.stream(SITE), '-', '+')
    expect(deltas.map((d) => JSON.parse(d.message.m!).data)).toContainEqual(expect.objectContaining({ sku, onHand: 7 }))

    // A resend from the device now is a duplicate, and still changes nothing.
    await device.publish(event)
    await device.waitFor((acks) => acks.length >= 2)
    expect(device.acks[1]).toMatchObject({ eventId: event.eventId, status: 'duplicate' })
    expect(await inspect.movementCount(event.eventId)).toBe(1)
  })
})
