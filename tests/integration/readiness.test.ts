import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrderingClient, type Readiness } from '@wh/shared'
import { partitionOf } from '../../hub/src/partition/partition-key.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { freePort } from '../helpers/free-port.ts'
import { startHubProcess, type HubProcess } from '../helpers/hub-process.ts'
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text.ts'
import { startPrivateMosquitto } from '../helpers/private-mosquitto.ts'
import { useScenario } from '../helpers/scenario.ts'

// A hub of every role in this process, on the shared broker, with a stall threshold of 1 s; the
// single-role hub processes of the first tests use a broker of their own, which the tests stop.
const s = useScenario('readiness', { products: 2, locations: 1, devices: 1, hubs: [{ PIPELINE_STALL_SECONDS: 1 }] })
const hub = () => s.hubs[0]!
const device = () => s.devices[0]!

const readyAt = async (url: string) => {
  const res = await fetch(`${url}/ready`)
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Readiness }
}
const ready = async () => {
  const res = await hub().inject('/ready')
  return { status: res.statusCode, body: res.json<Readiness>() }
}
const scrape = async () => parsePrometheusText((await hub().inject({ url: '/metrics', headers: bearer(s.fixture.keys.metrics) })).body)
const hasWarning = (r: Readiness, code: string) => r.warnings.some((w) => w.code === code)

describe('readiness by role, with the broker stopped', () => {
  let broker: Awaited<ReturnType<typeof startPrivateMosquitto>>
  const processes: HubProcess[] = []
  let apiUrl: string
  let ingestUrl: string

  /** A hub process of `roles` on the private broker, and where it answers /ready. */
  async function start(roles: string) {
    const port = await freePort()
    const ports = roles.includes('api') ? { HTTP_PORT: port } : { METRICS_PORT: port }
    processes.push(await startHubProcess(s.env, 'server', { HUB_ROLES: roles, MQTT_URL: broker.url, ...ports }))
    return `http://127.0.0.1:${port}`
  }

  beforeAll(async () => {
    broker = await startPrivateMosquitto()
    apiUrl = await start('api')
    ingestUrl = await start('ingest')
    // Stock to check and order, received through the hub of every role.
    const [ack] = await device().send([device().event({ type: 'receive', barcode: 'P-1', location: 'L-1', qty: 10 })])
    expect(ack!.status).toBe('applied')
    await broker.stop()
  })
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()))
    await broker?.close()
  })

  it('an API process stays ready, says the broker is down, and serves a stock check and an order', async () => {
    await eventually('the API process to see the broker gone', async () => (await readyAt(apiUrl)).body.checks.mqtt === 'down')
    const { status, body } = await readyAt(apiUrl)
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'ready', roles: ['api'], checks: { mysql: 'up', redis: 'up', mqtt: 'down', queues: 'up' } })
    expect(body.warnings).toEqual([{ code: 'SERVICE_DOWN', service: 'mqtt', message: expect.stringContaining('MQTT broker') }])

    const ordering = new OrderingClient({ baseUrl: apiUrl, apiKey: s.fixture.keys.orders })
    const check = await ordering.check({ site: SITE, items: [{ sku: 'P-1', qty: 4 }] })
    expect(check.items).toEqual([{ sku: 'P-1', requested: 4, available: 10, ok: true }])
    const reserved = await ordering.reserve({ site: SITE, lines: [{ sku: 'P-1', qty: 4 }] })
    expect(reserved).toMatchObject({ ok: true, order: { status: 'pending', lines: [{ sku: 'P-1', qty: 4 }] } })
    expect((await s.inspect.levels()).find((l) => l.sku === 'P-1')).toMatchObject({ onHand: 10, reserved: 4 })
  })

  it('an API process started while the broker is down starts, and is ready', async () => {
    const url = await start('api')
    const { status, body } = await readyAt(url)
    expect(status).toBe(200)
    expect(body.warnings).toEqual([expect.objectContaining({ code: 'SERVICE_DOWN', service: 'mqtt' })])
  })

  it('an ingest process is not ready: 503 with Retry-After', async () => {
    await eventually('the ingest process to see the broker gone', async () => (await readyAt(ingestUrl)).status === 503)
    const { retryAfter, body } = await readyAt(ingestUrl)
    expect(Number(retryAfter)).toBeGreaterThan(0)
    expect(body).toMatchObject({ status: 'not ready', roles: ['ingest'], checks: { mqtt: 'down', redis: 'up' }, warnings: [] })
  })
})

describe('warnings that leave a process ready', () => {
  it('a paused queue: 200, with a QUEUE_PAUSED warning naming it', async () => {
    const reconcile = hub().ops.queues.find((q) => q.name === 'reconcile')!
    await reconcile.pause()
    try {
      const { status, body } = await ready()
      expect(status).toBe(200)
      expect(body).toMatchObject({ status: 'ready', checks: { queues: 'paused' } })
      expect(body.warnings).toEqual([{ code: 'QUEUE_PAUSED', queues: ['reconcile'], message: expect.stringContaining('reconcile') }])
    } finally {
      await reconcile.resume()
    }
    expect((await ready()).body.warnings).toEqual([])
  })

  it('a partition whose oldest event waits past PIPELINE_STALL_SECONDS is named, and counted stalled, until it drains', async () => {
    const [product] = await s.inspect.rows<{ id: number }>("SELECT id FROM products WHERE sku = 'P-2'")
    const partition = partitionOf(product!.id, s.env.env.PARTITIONS!)
    const queue = hub().partitionQueues.queues[partition]!
    // Paused, with no drain job running, nothing takes the partition's events.
    await queue.pause()
    await eventually('no drain running', async () => (await queue.getActiveCount()) === 0)
    const event = device().event({ type: 'receive', barcode: 'P-2', location: 'L-1', qty: 1 })
    await device().publish(event)

    await eventually('the partition named stalled', async () => hasWarning((await ready()).body, 'PARTITION_STALLED'))
    const { status, body } = await ready()
    expect(status).toBe(200)
    const stalled = body.warnings.filter((w) => w.code === 'PARTITION_STALLED')
    expect(stalled).toEqual([{ code: 'PARTITION_STALLED', partition, ageSeconds: expect.any(Number), message: expect.any(String) }])
    expect(stalled[0]!.ageSeconds).toBeGreaterThan(1)
    expect(stalled[0]!.message).toContain(`Partition ${partition}`)
    const metrics = await scrape()
    expect(sumOf(metrics, 'wh_partition_stalled', { partition: String(partition) })).toBe(1)
    expect(sumOf(metrics, 'wh_partition_stalled')).toBe(1)

    await queue.resume()
    await device().waitFor((acks) => acks.some((a) => a.eventId === event.eventId && a.status === 'applied'))
    await eventually('the warning gone', async () => (await ready()).body.warnings.length === 0)
    expect(sumOf(await scrape(), 'wh_partition_stalled', { partition: String(partition) })).toBe(0)
  })
})

describe("/ready's body", () => {
  it('is described in the OpenAPI document, 200 and 503 alike, with no key asked', async () => {
    const doc = hub().swagger() as { paths: Record<string, { get: { security: unknown[]; responses: Record<string, unknown> } }> }
    const ready = doc.paths['/ready']!.get
    expect(ready.security).toEqual([])
    const body = (code: string) => JSON.stringify(ready.responses[code])
    for (const code of ['200', '503'])
      for (const field of ['roles', 'checks', 'warnings', 'PARTITION_STALLED']) expect(body(code)).toContain(field)
  })
})

describe('sequence gaps', () => {
  it('a device skipping deviceSeqs counts one gap once its later event is released', async () => {
    const before = sumOf(await scrape(), 'wh_sequence_gaps_total')
    // Two seqs lost in a row make one gap; the event after them goes on once the gap wait is over.
    device().event({ type: 'receive', barcode: 'P-1', location: 'L-1', qty: 1 })
    device().event({ type: 'receive', barcode: 'P-1', location: 'L-1', qty: 1 })
    const [ack] = await device().send([device().event({ type: 'receive', barcode: 'P-1', location: 'L-1', qty: 1 })])
    expect(ack!.status).toBe('applied')
    expect(sumOf(await scrape(), 'wh_sequence_gaps_total')).toBe(before + 1)
  })
})
