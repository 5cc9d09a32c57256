import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubApp } from '../../hub/src/app.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { seedFixture, type Fixture } from '../helpers/fixtures.ts'
import { startHubProcess, type HubProcess } from '../helpers/hub-process.ts'
import { openInspector, type Inspector } from '../helpers/inspect.ts'
import { TestDevice } from '../helpers/test-device.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const env = createTestEnv('crash')
let ingest: HubApp
let fixture: Fixture
let inspect: Inspector
let device: TestDevice
const workers: HubProcess[] = []

beforeAll(async () => {
  fixture = await seedFixture(env, { products: 1, locations: 1, devices: 1 })
  ingest = await buildHub(env, { HUB_ROLES: 'api,ingest' })
  inspect = await openInspector(env)
  device = await TestDevice.connect(env, fixture.devices[0]!)
})

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')))
  await device?.close()
  await ingest?.close()
  await inspect?.close()
  await env.cleanup()
})

describe('a worker killed after its commit, before its ack', () => {
  it('is not applied twice on restart, and the cache, delta and ack still happen', async () => {
    const sku = fixture.skus[0]!
    const location = fixture.locations[0]!
    const crashing = await startHubProcess(env, 'worker', { HUB_FAULT_POINT: 'after-commit' })
    workers.push(crashing)
    const event = device.event({ type: 'receive', barcode: sku, location, qty: 7 })
    await device.publish(event)

    expect(await crashing.exited).toBe('SIGKILL')
    expect(await inspect.movementCount(event.eventId)).toBe(1)
    expect(device.acks).toEqual([])
    expect(await inspect.cache.read(sku)).toBeUndefined()

    // The drain job stalled with the dead worker; a healthy worker takes it over and replays it.
    workers.push(await startHubProcess(env, 'worker'))
    const [ack] = await device.waitFor((acks) => acks.length >= 1, 30_000)
    expect(ack).toMatchObject({ eventId: event.eventId, status: 'applied', onHand: 7, available: 7 })
    expect(await inspect.movementCount(event.eventId)).toBe(1)
    expect((await inspect.levels())[0]?.onHand).toBe(7)
    expect((await inspect.cache.read(sku))?.onHand).toBe(7)
    const deltas = await inspect.redis.xRange(`${env.env.REDIS_PREFIX}:deltas`, '-', '+')
    expect(deltas.map((d) => JSON.parse(d.message.m!).data)).toContainEqual(expect.objectContaining({ sku, onHand: 7 }))
    expect(await inspect.inconsistencies()).toEqual([])

    // A resend from the device now is a duplicate, and still changes nothing.
    await device.publish(event)
    await device.waitFor((acks) => acks.length >= 2)
    expect(device.acks[1]).toMatchObject({ eventId: event.eventId, status: 'duplicate' })
    expect(await inspect.movementCount(event.eventId)).toBe(1)
  })
})
