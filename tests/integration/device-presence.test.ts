import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { createTopics, type DeviceInfo, type DeviceSync } from '@wh/shared'
import type { HubApp } from '../../hub/src/app.ts'
import type { Env } from '../../hub/src/config.ts'
import { createRetainedStatusRead, type Copy } from '../../hub/src/ingest/retained-status.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { parsePrometheusText } from '../helpers/prometheus-text.ts'
import { useScenario } from '../helpers/scenario.ts'
import { TestScreen } from '../helpers/screen.ts'

// Hubs are started and restarted by the tests themselves.
const s = useScenario('presence', { products: 2, locations: 1, devices: 4, hubs: [] })
const topics = () => createTopics(s.env.env.MQTT_TOPIC_ROOT!)
const clients: MqttClient[] = []
const ownRoots: ReturnType<typeof createTopics>[] = []
const screens: TestScreen[] = []
let hub: HubApp | undefined

/** Stops the running hub (if any) and starts another, as a restart would. */
async function restartHub(overrides: Partial<Env> = {}): Promise<HubApp> {
  await hub?.close()
  hub = await buildHub(s.env, overrides)
  return hub
}

async function connect(name: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(s.env.urls.mqtt, { protocolVersion: 5, clientId: `${s.env.id}-${name}`, ...options })
  clients.push(client)
  return client
}

/**
 * A device's presence link as a scanner keeps one: its retained `online` status, its `offline`
 * last will, and the sync points the hub sends it.
 */
async function presenceLink(deviceId: string) {
  const status = topics().status(SITE, deviceId)
  const client = await connect(`${deviceId}-link`, { will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true } })
  const syncs: DeviceSync[] = []
  client.on('message', (_topic, payload) => syncs.push(JSON.parse(payload.toString()) as DeviceSync))
  await client.subscribeAsync(topics().sync(SITE, deviceId), { qos: 1 })
  return {
    syncs,
    publish: (value: 'online' | 'offline') => client.publishAsync(status, value, { qos: 1, retain: true }),
    /** Drops the connection without a goodbye, so the broker publishes the last will. */
    die: () => client.stream.destroy(),
  }
}

const shownStatus = async (deviceId: string) =>
  (await s.inspect.rows<{ status: string }>('SELECT status FROM devices WHERE id = ?', [deviceId]))[0]!.status

afterAll(async () => {
  screens.forEach((screen) => screen.close())
  await hub?.close()
  // Retained messages outlive the test on the shared broker: cleared.
  const cleaner = await connect('cleaner')
  for (const t of [topics(), ...ownRoots])
    for (const id of s.fixture.devices) await cleaner.publishAsync(t.status(SITE, id), '', { qos: 1, retain: true })
  await Promise.all(clients.map((c) => c.endAsync(true)))
})

describe('device status after a hub restart', () => {
  it("shows offline a device whose last will fired while no hub ran, from the broker's retained status", async () => {
    const deviceId = s.fixture.devices[0]!
    await restartHub()
    const link = await presenceLink(deviceId)
    await link.publish('online')
    await eventually('the device shown online', async () => (await shownStatus(deviceId)) === 'online')

    await hub!.close()
    hub = undefined
    const watcher = await connect('watcher')
    const heard: string[] = []
    watcher.on('message', (_topic, payload) => heard.push(payload.toString()))
    await watcher.subscribeAsync(topics().status(SITE, deviceId), { qos: 1 })
    link.die()
    await eventually('the last will', () => heard.at(-1) === 'offline')
    expect(await shownStatus(deviceId)).toBe('online')

    const restarted = await restartHub()
    await eventually('the device shown offline', async () => (await shownStatus(deviceId)) === 'offline')
    const listed = (await restarted.inject({ url: '/api/devices', headers: bearer(s.fixture.keys.admin) })).json<{
      devices: DeviceInfo[]
    }>()
    expect(listed.devices.find((d) => d.id === deviceId)?.status).toBe('offline')
  })

  it('handles each status message once while the retained read and the shared subscription are both open', async () => {
    const [stale, live] = [s.fixture.devices[2]!, s.fixture.devices[3]!]
    // A topic root of its own, with no other test's retained status in it.
    const own = createTopics(`${s.env.env.MQTT_TOPIC_ROOT}r`)
    ownRoots.push(own)
    const device = await connect('publisher')
    await device.publishAsync(own.status(SITE, stale), 'offline', { qos: 1, retain: true })

    // A bare client subscribed as ingest is, with a read long enough to publish into.
    const reader = await connect('reader')
    const handled: string[] = []
    const noLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }
    const read = createRetainedStatusRead(reader, `${own.root}/+/devices/+/status`, noLog, { quietMs: 2000, maxMs: 5000 })
    reader.on('message', (topic, payload, packet) => {
      const copy: Copy = read.classify(packet)
      if (copy !== 'skip') handled.push(`${copy} ${own.parse(topic)!.deviceId} ${payload.toString()}`)
    })
    await reader.subscribeAsync(own.sharedSubscription('status', `${s.env.id}-reader`), { qos: 1 })
    const reading = read.read()
    await eventually('the retained status', () => handled.length > 0)
    await device.publishAsync(own.status(SITE, live), 'online', { qos: 1, retain: true })
    await reading
    await eventually('the live status', () => handled.length > 1)
    expect(handled).toEqual([`retained ${stale} offline`, `live ${live} online`])
  })
})

describe('device sync', () => {
  it('sends a device that comes online, and every device online at hub start, how far the hub has its events', async () => {
    const deviceId = s.fixture.devices[1]!
    const device = s.devices[1]!
    const running = await restartHub()
    const receive = () => device.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 1 })
    expect((await device.send([receive(), receive(), receive()])).map((a) => a.status)).toEqual(['applied', 'applied', 'applied'])

    const link = await presenceLink(deviceId)
    await link.publish('online')
    await eventually('a sync point', () => link.syncs.length === 1)
    expect(link.syncs).toEqual([{ appliedThrough: 3 }])
    // A refresh of an unchanged `online` sends none; a hub starting reads it retained and sends one.
    await link.publish('online')
    await restartHub()
    await eventually('a sync point at hub start', () => link.syncs.length === 2)
    expect(link.syncs).toEqual([{ appliedThrough: 3 }, { appliedThrough: 3 }])

    // Redis without the device's position (a new one, as after a restore): from 0, the device resends all it keeps.
    expect(running).not.toBe(hub)
    await s.inspect.redis.del(`${s.env.env.REDIS_PREFIX}:seq:last:${deviceId}`)
    await link.publish('offline')
    await eventually('the device shown offline', async () => (await shownStatus(deviceId)) === 'offline')
    await link.publish('online')
    await eventually('a sync point from a new Redis', () => link.syncs.length === 3)
    expect(link.syncs[2]).toEqual({ appliedThrough: 0 })
  })

  it('applies a resent event below the sequence position after its gap was released, and answers a copy duplicate', async () => {
    const device = s.devices[2]!
    await restartHub()
    const receive = () => device.event({ type: 'receive', barcode: s.fixture.skus[1]!, location: s.fixture.locations[0]!, qty: 1 })
    const [first, missing, third] = [receive(), receive(), receive()]
    expect((await device.send([first, third])).map((a) => a.status)).toEqual(['applied', 'applied'])
    // The gap (seq 2) was released without it; it arrives now, as a device's resend after a sync would.
    expect((await device.send([missing]))[0]!.status).toBe('applied')
    await device.publish(missing)
    await device.waitFor(() => device.acksFor(missing.eventId).length === 2)
    expect(device.acksFor(missing.eventId)[1]).toMatchObject({ status: 'duplicate', settledAs: 'applied' })
    for (const e of [first, missing, third]) expect(await s.inspect.movementCount(e.eventId)).toBe(1)
  })
})

describe('a device not heard from in time', () => {
  it('is shown offline without a last will, while a device whose events apply stays online', async () => {
    const [quiet, busy] = [s.fixture.devices[3]!, s.fixture.devices[2]!]
    const running = await restartHub({ DEVICE_OFFLINE_AFTER_SECONDS: 10 })
    const screen = await TestScreen.open(running, { apiKey: s.fixture.keys.viewer })
    screens.push(screen)
    const [quietLink, busyLink] = [await presenceLink(quiet), await presenceLink(busy)]
    await quietLink.publish('online')
    await busyLink.publish('online')
    await eventually('both shown online', async () => (await shownStatus(quiet)) === 'online' && (await shownStatus(busy)) === 'online')

    // The busy device scans every 2 s and never refreshes its status; the quiet one says nothing.
    const device = s.devices[2]!
    const scanning = setInterval(() => {
      void device.publish(device.event({ type: 'receive', barcode: s.fixture.skus[1]!, location: s.fixture.locations[0]!, qty: 1 }))
    }, 2000)
    try {
      await eventually('the quiet device shown offline', async () => (await shownStatus(quiet)) === 'offline', 30_000)
      expect(await shownStatus(busy)).toBe('online')
    } finally {
      clearInterval(scanning)
    }
    const lastTile = () =>
      screen
        .of('device_status')
        .flatMap((m) => m.devices)
        .filter((t) => t.deviceId === quiet)
        .at(-1)
    await eventually("the floor screen's tile offline", () => lastTile()?.status === 'offline')

    const metrics = parsePrometheusText((await running.inject({ url: '/metrics', headers: bearer(s.fixture.keys.metrics) })).body)
    const shown = await s.inspect.rows<{ status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM devices WHERE enabled GROUP BY status',
    )
    const gauge = Object.fromEntries(metrics.get('wh_devices')!.samples.map((x) => [x.labels.status, x.value]))
    expect(gauge).toEqual({ online: 0, offline: 0, ...Object.fromEntries(shown.map((r) => [r.status, Number(r.n)])) })
    expect(gauge.online).toBeGreaterThanOrEqual(1)

    // Heard from again: shown online, and sent its sync point again.
    expect(quietLink.syncs).toHaveLength(1)
    await quietLink.publish('online')
    await eventually('the quiet device back online', async () => (await shownStatus(quiet)) === 'online')
    await eventually('its sync point', () => quietLink.syncs.length === 2)
  })
})
