import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import mqtt, { type MqttClient } from 'mqtt'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubApp } from '../../hub/src/app.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { SITE } from '../helpers/fixtures.ts'
import { startSecuredMosquitto } from '../helpers/secured-mosquitto.ts'
import { useScenario } from '../helpers/scenario.ts'
import { useScannerKit } from '../helpers/scanners.ts'

/** The broker docker-compose runs (tests/helpers/secured-mosquitto.ts), with the production root `wh`, which its ACL names. */
const HUB_PASSWORD = 'hub-test-password'
const DEVICE_PASSWORD = 'device-test-password'
const ROOT = 'wh'

const s = useScenario('securedbroker', { products: 1, locations: 1, devices: 2, hubs: [] })
const kit = useScannerKit(s)
let broker: Awaited<ReturnType<typeof startSecuredMosquitto>>
let hub: HubApp
const clients: MqttClient[] = []

beforeAll(async () => {
  broker = await startSecuredMosquitto({ hub: HUB_PASSWORD, devices: s.fixture.devices, device: DEVICE_PASSWORD })
  hub = await buildHub(s.env, { MQTT_URL: broker.url, MQTT_TOPIC_ROOT: ROOT, MQTT_USERNAME: 'hub', MQTT_PASSWORD: HUB_PASSWORD })
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)))
  await hub?.close()
  await broker?.close()
})

const login = async (username?: string, password?: string) => {
  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username, password, reconnectPeriod: 0 })
  clients.push(client)
  return client
}
/** What `client` receives on `filters` while `act` runs (and shortly after). */
async function received(client: MqttClient, filters: string[], act: () => Promise<unknown>) {
  const got: string[] = []
  client.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`))
  await client.subscribeAsync(filters, { qos: 1 })
  await act()
  await new Promise((r) => setTimeout(r, 300))
  return got
}
const topic = (deviceId: string, kind: 'events' | 'status' | 'acks' | 'sync') => `${ROOT}/${SITE}/devices/${deviceId}/${kind}`

describe("docker-compose's broker: password file and ACL", () => {
  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(login()).rejects.toThrow(/authori[sz]ed|Bad User Name or Password/i)
    await expect(login(s.fixture.devices[0], 'wrong')).rejects.toThrow(/authori[sz]ed|Bad User Name or Password/i)
  })

  it("lets a device write only its own events and status, and read only its own acks (not another device's)", async () => {
    const [a, b] = s.fixture.devices as [string, string]
    const deviceA = await login(a, DEVICE_PASSWORD)
    const deviceB = await login(b, DEVICE_PASSWORD)
    const hubUser = await login('hub', HUB_PASSWORD)

    // A publishes on B's topics: the broker refuses (PUBACK "not authorized"), and nothing is routed.
    await expect(deviceA.publishAsync(topic(b, 'events'), 'forged', { qos: 1 })).rejects.toThrow(/authori[sz]ed/i)
    await expect(deviceA.publishAsync(topic(b, 'acks'), '{"eventId":null}', { qos: 1 })).rejects.toThrow(/authori[sz]ed/i)
    await expect(deviceA.publishAsync(topic(a, 'acks'), '{"eventId":null}', { qos: 1 })).rejects.toThrow(/authori[sz]ed/i)
    await expect(deviceA.publishAsync(topic(a, 'status'), 'online', { qos: 1 })).resolves.toBeDefined()

    // A listens to B's acks and to everything: it hears none of B's; B hears its own.
    const heardByA = await received(deviceA, [topic(b, 'acks'), `${ROOT}/#`], async () => {
      const heardByB = await received(deviceB, [topic(b, 'acks')], () => hubUser.publishAsync(topic(b, 'acks'), 'ack for B', { qos: 1 }))
      expect(heardByB).toEqual([`${topic(b, 'acks')} ack for B`])
    })
    // Its own sync point (the hub's answer to its `online`) it may hear; nothing of B's.
    expect(heardByA.filter((m) => !m.startsWith(`${topic(a, 'sync')} `))).toEqual([])
  })

  it("passes docker-compose.yml's healthcheck, which logs in as the hub and reads the broker's uptime", async () => {
    const compose = parse(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true })
    const [kind, command] = compose.services.mosquitto.healthcheck.test as [string, string]
    expect(kind).toBe('CMD-SHELL')
    const dir = await mkdtemp(join(tmpdir(), 'wh-healthcheck-'))
    try {
      await writeFile(join(dir, 'mqtt_hub_password'), `${HUB_PASSWORD}\n`)
      // As the container's shell runs it (compose turns `$$` into `$`), against this broker's port and secret file.
      const here = command
        .replaceAll('$$', '$')
        .replace('/run/secrets/mqtt_hub_password', join(dir, 'mqtt_hub_password'))
        .replace('-h 127.0.0.1', `-h 127.0.0.1 -p ${new URL(broker.url).port}`)
      await expect(promisify(execFile)('sh', ['-c', here])).resolves.toBeDefined()
      // A wrong password fails it.
      await writeFile(join(dir, 'mqtt_hub_password'), 'wrong\n')
      await expect(promisify(execFile)('sh', ['-c', here])).rejects.toThrow()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('lets the hub user read every event and status through a shared subscription, but write no events', async () => {
    const [a] = s.fixture.devices as [string]
    const device = await login(a, DEVICE_PASSWORD)
    const hubUser = await login('hub', HUB_PASSWORD)
    const heard = await received(
      hubUser,
      [`$share/acl-test/${ROOT}/+/devices/+/events`, `$share/acl-test/${ROOT}/+/devices/+/status`],
      async () => {
        await device.publishAsync(topic(a, 'events'), 'event of A', { qos: 1 })
        await device.publishAsync(topic(a, 'status'), 'offline', { qos: 1 })
      },
    )
    expect(heard).toEqual([`${topic(a, 'events')} event of A`, `${topic(a, 'status')} offline`])
    await expect(hubUser.publishAsync(topic(a, 'events'), 'forged by hub', { qos: 1 })).rejects.toThrow(/authori[sz]ed/i)
  })

  it("carries a real scanner's signed events to a real hub and its acks back", async () => {
    const deviceId = s.fixture.devices[1]!
    const { client, outcomes } = await kit.start(deviceId, {
      brokerUrl: broker.url,
      topicRoot: ROOT,
      mqtt: { username: deviceId, password: DEVICE_PASSWORD },
    })
    await client.scan({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 4 })
    await client.scan({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 1 })
    const deadline = Date.now() + 20_000
    while (outcomes.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(outcomes.map((o) => [o.ack.status, o.ack.onHand])).toEqual([
      ['applied', 4],
      ['applied', 5],
    ])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })
})
