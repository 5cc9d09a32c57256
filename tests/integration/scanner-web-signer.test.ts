import mqtt from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { createTopics, type ScanEvent } from '@wh/shared'
import { createEventSigner } from '@wh/shared/signing/web'
import { ScannerClient, type ScanOutcome } from '../../devices/src/browser.ts'
import { MemoryOutbox } from '../../devices/src/outbox/memory-outbox.ts'
import { testDeviceSecret } from '../helpers/device-secrets.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('websign', { products: 1, locations: 1, devices: 2 })
const stops: (() => Promise<unknown>)[] = []
afterAll(() => Promise.all(stops.map((stop) => stop())))

/** A client of one of the scenario's devices, in memory, with `sign` if given (else its default). */
const startClient = (deviceId: string, sign?: (event: ScanEvent) => Promise<string>) =>
  ScannerClient.start({
    deviceId,
    site: SITE,
    secret: testDeviceSecret(deviceId),
    brokerUrl: s.env.urls.mqtt,
    topicRoot: s.env.env.MQTT_TOPIC_ROOT,
    store: new MemoryOutbox(),
    // Named for this test env: another file on the broker has a device of the same id.
    mqtt: { clientId: `${s.env.id}-${deviceId}` },
    ...(sign && { sign }),
  })

describe('a ScannerClient signing with WebCrypto, as the browser does', () => {
  it('publishes in deviceSeq order though later signatures are ready first, and the hub applies each', async () => {
    const deviceId = s.fixture.devices[0]!
    const topics = createTopics(s.env.env.MQTT_TOPIC_ROOT!)
    const watcher = await mqtt.connectAsync(s.env.urls.mqtt)
    stops.push(() => watcher.endAsync())
    const published: number[] = []
    watcher.on('message', (_t, payload) => published.push((JSON.parse(payload.toString()) as ScanEvent).deviceSeq))
    await watcher.subscribeAsync(topics.events(SITE, deviceId), { qos: 1 })

    const N = 20
    const webSign = createEventSigner(testDeviceSecret(deviceId))
    // The earlier the event, the slower its signature: unchained, the last would go out first.
    const client = await startClient(deviceId, async (event) => {
      await new Promise((r) => setTimeout(r, (N - event.deviceSeq) * 5))
      return webSign(event)
    })
    stops.push(() => client.stop())
    const outcomes: ScanOutcome[] = []
    const pending: number[] = []
    client.on('outcome', (o) => outcomes.push(o))
    client.on('pending', (n) => pending.push(n))
    await eventually('connection', () => client.connected)

    for (let i = 0; i < N; i++)
      await client.scan({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 1 })
    await eventually(`${N} outcomes`, () => outcomes.length === N)

    expect(published.slice(0, N)).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    expect(outcomes.map((o) => o.ack.status)).toEqual(Array(N).fill('applied'))
    expect(pending.slice(0, N)).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    expect(pending.at(-1)).toBe(0)
    expect((await s.inspect.levels())[0]?.onHand).toBe(N)
  })

  it('signs with the web signer when given no `sign`, and the hub verifies it', async () => {
    const deviceId = s.fixture.devices[1]!
    const client = await startClient(deviceId)
    stops.push(() => client.stop())
    const outcomes: ScanOutcome[] = []
    client.on('outcome', (o) => outcomes.push(o))
    await eventually('connection', () => client.connected)
    await client.scan({ type: 'count', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 7 })
    await eventually('the outcome', () => outcomes.length === 1)
    expect(outcomes[0]!.ack).toMatchObject({ status: 'applied', onHand: 7 })
  })
})
