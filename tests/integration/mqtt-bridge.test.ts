import { randomUUID } from 'node:crypto'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ack } from '@wh/shared'
import { withSignature } from '@wh/shared/signing'
import type { HubApp } from '../../hub/src/app.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { bridgeClosing, bridgeUrl } from '../helpers/bridge-socket.ts'
import { testDeviceSecret } from '../helpers/device-secrets.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text.ts'
import { useScenario } from '../helpers/scenario.ts'
import { startSecuredMosquitto } from '../helpers/secured-mosquitto.ts'

/**
 * The hub's /mqtt bridge for browsers, with real brokers: a hub on docker-compose's secured broker
 * (logins and ACL, topic root `wh`), and an API-only hub on the shared open broker with room for
 * two bridge connections.
 */
const HUB_PASSWORD = 'hub-test-password'
const DEVICE_PASSWORD = 'device-test-password'
const ROOT = 'wh'

const s = useScenario('mqttbridge', { products: 1, locations: 1, devices: 2, hubs: [] })
let broker: Awaited<ReturnType<typeof startSecuredMosquitto>>
let hub: HubApp
let small: HubApp
const clients: MqttClient[] = []

beforeAll(async () => {
  broker = await startSecuredMosquitto({ hub: HUB_PASSWORD, devices: s.fixture.devices, device: DEVICE_PASSWORD })
  hub = await buildHub(s.env, { MQTT_URL: broker.url, MQTT_TOPIC_ROOT: ROOT, MQTT_USERNAME: 'hub', MQTT_PASSWORD: HUB_PASSWORD })
  small = await buildHub(s.env, { HUB_ROLES: 'api', MQTT_BRIDGE_MAX_CONNECTIONS: 2 })
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)))
  await Promise.all([hub?.close(), small?.close()])
  await broker?.close()
})

/** An MQTT 5 client through `app`'s bridge, without reconnects. */
async function viaBridge(app: HubApp, options: IClientOptions = {}) {
  const client = await mqtt.connectAsync(await bridgeUrl(app), {
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...options,
  })
  clients.push(client)
  return client
}
const topic = (deviceId: string, kind: 'events' | 'status' | 'acks', root = ROOT) => `${root}/${SITE}/devices/${deviceId}/${kind}`
const openBridges = async (app: HubApp) => sumOf(parsePrometheusText(await app.metrics.render()), 'wh_mqtt_bridge_connections')

describe('the MQTT bridge at /mqtt', () => {
  it("carries a device's signed scan to the hub and the hub's ack back, the device logged in as itself", async () => {
    const deviceId = s.fixture.devices[0]!
    const device = await viaBridge(hub, { username: deviceId, password: DEVICE_PASSWORD })
    const acks: Ack[] = []
    device.on('message', (_topic, payload) => acks.push(JSON.parse(payload.toString()) as Ack))
    await device.subscribeAsync(topic(deviceId, 'acks'), { qos: 1 })
    const event = {
      eventId: randomUUID(),
      deviceId,
      deviceSeq: 1,
      type: 'receive' as const,
      barcode: s.fixture.skus[0]!,
      location: s.fixture.locations[0]!,
      qty: 3,
    }
    await device.publishAsync(topic(deviceId, 'events'), JSON.stringify(withSignature(event, testDeviceSecret(deviceId))), { qos: 1 })
    await eventually('the ack', () => acks.length > 0, 20_000)
    expect(acks).toMatchObject([{ eventId: event.eventId, status: 'applied', onHand: 3 }])
  })

  it("leaves logins and the ACL to the broker: no wrong password, and no writing to another device's topics", async () => {
    const [a, b] = s.fixture.devices as [string, string]
    await expect(viaBridge(hub, { username: a, password: 'wrong' })).rejects.toThrow(/authori[sz]ed|Bad User Name or Password/i)
    await expect(viaBridge(hub)).rejects.toThrow(/authori[sz]ed|Bad User Name or Password/i)
    const deviceA = await viaBridge(hub, { username: a, password: DEVICE_PASSWORD })
    await expect(deviceA.publishAsync(topic(b, 'events'), 'forged', { qos: 1 })).rejects.toThrow(/authori[sz]ed/i)
    await expect(deviceA.publishAsync(topic(a, 'acks'), '{"eventId":null}', { qos: 1 })).rejects.toThrow(/authori[sz]ed/i)
    await expect(deviceA.publishAsync(topic(a, 'status'), 'online', { qos: 1 })).resolves.toBeDefined()
  })

  it('closes one connection past MQTT_BRIDGE_MAX_CONNECTIONS with 1013, and counts the open ones', async () => {
    const root = s.env.env.MQTT_TOPIC_ROOT!
    const deviceId = s.fixture.devices[1]!
    const first = await viaBridge(small)
    // The second goes away without a DISCONNECT: the broker must see its connection end (its will).
    const second = await viaBridge(small, { will: { topic: topic(deviceId, 'status', root), payload: Buffer.from('gone'), qos: 1 } })
    expect(await openBridges(small)).toBe(2)

    const { closed } = bridgeClosing(await bridgeUrl(small))
    expect(await closed).toEqual({ code: 1013, reason: 'bridge full, try again later' })

    const watcher = await mqtt.connectAsync(s.env.urls.mqtt, { protocolVersion: 5, reconnectPeriod: 0 })
    clients.push(watcher)
    const heard: string[] = []
    watcher.on('message', (_topic, payload) => heard.push(payload.toString()))
    await watcher.subscribeAsync(topic(deviceId, 'status', root), { qos: 1 })
    second.stream.destroy()
    await eventually("the broker's will for the dropped device", () => heard.includes('gone'), 10_000)
    await eventually('the bridge to count one', async () => (await openBridges(small)) === 1, 10_000)
    await expect(viaBridge(small)).resolves.toBeDefined()
    await first.endAsync()
  })

  it('closes the WebSocket when the broker goes away, and refuses with 1013 while it is down', async () => {
    const deviceId = s.fixture.devices[1]!
    const device = await viaBridge(hub, { username: deviceId, password: DEVICE_PASSWORD })
    const gone = new Promise<void>((resolve) => device.once('close', () => resolve()))
    await broker.stop()
    await gone

    const { closed } = bridgeClosing(await bridgeUrl(hub))
    expect(await closed).toEqual({ code: 1013, reason: 'broker unavailable' })
    await eventually('the bridge to count none', async () => (await openBridges(hub)) === 0, 10_000)
  })
})
