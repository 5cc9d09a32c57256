import { afterAll, describe, expect, it } from 'vitest'
import type { Ack, ScanEvent } from '@wh/shared'
import { bearer } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { TestScreen } from '../helpers/screen.ts'
import { eventually } from '../helpers/eventually.ts'
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text.ts'
import type { TestDevice } from '../helpers/test-device.ts'

const SEED = Number(process.env.TEST_SEED ?? 20261121)
const EVENTS = 160
const DUPLICATES = 12

// An event the database will refuse for good (HUB_FAULT_POISON), sent by the last test alone.
const POISONED = '018f0000-0000-7000-8000-00000000dead'
// No scheduled reconciliation: the test runs one itself and counts its corrections.
const s = useScenario('metrics', {
  products: 4,
  locations: 2,
  devices: 2,
  hubs: [{ RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0, HUB_FAULT_POISON: POISONED }],
})
let screen: TestScreen | undefined
afterAll(() => screen?.close())

/** mulberry32: a small seeded generator, so a failing mix can be replayed with TEST_SEED. */
function seeded(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('/metrics after a seeded run', () => {
  it('parses as Prometheus text, and its counts match the acks, the ledger and the held events', async () => {
    const { fixture, hubs, inspect } = s
    const hub = hubs[0]!
    const random = seeded(SEED)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
    const qty = (max: number) => 1 + Math.floor(random() * max)
    screen = await TestScreen.open(hub, { apiKey: fixture.keys.viewer })

    // What each published message was, by eventId (null: too broken to carry one).
    const typeOf = new Map<string | null, string>([[null, 'unknown']])
    const published: { device: TestDevice; event: ScanEvent }[] = []
    let sent = 0
    for (let i = 0; i < EVENTS; i++) {
      const device = s.devices[i % s.devices.length]!
      const [barcode, location] = [pick(fixture.skus), pick(fixture.locations)]
      const roll = random()
      let event: ScanEvent | undefined
      if (roll < 0.3) event = device.event({ type: 'receive', barcode, location, qty: qty(6) })
      else if (roll < 0.55) event = device.event({ type: 'pick', barcode, location, qty: qty(4) })
      else if (roll < 0.65) event = device.event({ type: 'count', barcode, location, qty: qty(8) - 1 })
      else if (roll < 0.75) {
        const toLocation = fixture.locations.find((l) => l !== location)!
        event = device.event({ type: 'move', barcode, location, toLocation, qty: qty(3) })
      } else if (roll < 0.85)
        event = device.event({ type: 'adjust', barcode, location, qty: random() < 0.5 ? -qty(3) : qty(3), reason: 'damaged' })
      else if (roll < 0.9) event = device.event({ type: 'receive', barcode: 'NO-SUCH-SKU', location, qty: 1 })
      else if (roll < 0.95) event = device.event({ type: 'pick', barcode, location: 'NOWHERE', qty: 1 })
      else await device.publish('{"not json')
      if (event) {
        typeOf.set(event.eventId, event.type)
        published.push({ device, event })
        await device.publish(event)
      }
      sent++
    }
    await eventually('every message answered', () => s.devices.reduce((n, d) => n + d.acks.length, 0) === sent, 30_000)

    // Resends of settled events (applied or held) are answered as duplicates.
    const settled = published.filter(({ device, event }) => device.acksFor(event.eventId).some((a) => a.status !== 'rejected'))
    for (let i = 0; i < DUPLICATES; i++) {
      const { device, event } = pick(settled)
      await device.publish(event)
      sent++
    }
    await eventually('every resend answered', () => s.devices.reduce((n, d) => n + d.acks.length, 0) === sent, 30_000)
    const acks: Ack[] = s.devices.flatMap((d) => d.acks)

    // The ledger and inject drift for one correction, so reconciliation's counter moves too.
    await eventually('the screen caught up', () => screen!.of('inventory_update').length + screen!.of('inventory_batch_update').length > 0)
    const before = parsePrometheusText((await hub.inject({ url: '/metrics', headers: bearer(fixture.keys.metrics) })).body)
    const [level] = await inspect.rows<{ product_id: number; location_id: number }>(
      'SELECT product_id, location_id FROM stock_levels LIMIT 1',
    )
    await inspect.db.query('UPDATE stock_levels SET on_hand = on_hand + 5 WHERE product_id = ? AND location_id = ?', [
      level!.product_id,
      level!.location_id,
    ])
    const run = await hub.reconciliation.runner.run({ scope: 'full', dryRun: false, trigger: 'cli' })
    expect(run.corrections).toBeGreaterThan(0)

    const response = await hub.inject({ url: '/metrics', headers: bearer(fixture.keys.metrics) })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    const metrics = parsePrometheusText(response.body)
    expect(metrics.get('wh_events_total')?.type).toBe('counter')

    // Every (type, outcome) the devices heard, exactly as often as they heard it.
    const heard = new Map<string, number>()
    for (const ack of acks) {
      const key = `${typeOf.get(ack.eventId) ?? 'unknown'}|${ack.status}`
      heard.set(key, (heard.get(key) ?? 0) + 1)
    }
    const counted = new Map<string, number>()
    for (const sample of metrics.get('wh_events_total')!.samples) {
      const key = `${sample.labels.type}|${sample.labels.outcome}`
      counted.set(key, (counted.get(key) ?? 0) + sample.value)
    }
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(heard))
    for (const outcome of ['applied', 'held', 'rejected', 'duplicate'])
      expect(sumOf(metrics, 'wh_events_total', { outcome })).toBeGreaterThan(0)

    // Applied, by type, is the ledger; held is the held events table.
    const ledger = await inspect.rows<{ type: string; n: number }>(
      'SELECT type, COUNT(DISTINCT event_id) AS n FROM stock_movements WHERE leg = 0 GROUP BY type',
    )
    for (const { type, n } of ledger) expect(sumOf(metrics, 'wh_events_total', { type, outcome: 'applied' }), type).toBe(Number(n))
    expect(sumOf(metrics, 'wh_events_total', { outcome: 'applied' })).toBe(ledger.reduce((t, r) => t + Number(r.n), 0))
    const [held] = await inspect.rows<{ n: number; pending: number }>(
      `SELECT COUNT(*) AS n, SUM(status = 'pending') AS pending FROM held_events`,
    )
    expect(sumOf(metrics, 'wh_events_total', { outcome: 'held' })).toBe(Number(held!.n))
    expect(sumOf(metrics, 'wh_held_events_pending')).toBe(Number(held!.pending))
    // Held and rejected carry their reason code; the rest do not.
    for (const sample of metrics.get('wh_events_total')!.samples)
      expect('code' in sample.labels, JSON.stringify(sample.labels)).toBe(['held', 'rejected'].includes(sample.labels.outcome!))

    // Latencies: every event settled by a batch, and the deltas the screen was sent.
    const firstSettled = sumOf(metrics, 'wh_events_total', { outcome: 'applied' }) + Number(held!.n)
    expect(sumOf(metrics, 'wh_ingest_to_commit_seconds_count')).toBeGreaterThanOrEqual(firstSettled)
    expect(sumOf(metrics, 'wh_ingest_to_commit_seconds_count')).toBeLessThanOrEqual(
      firstSettled + sumOf(metrics, 'wh_events_total', { outcome: 'rejected' }),
    )
    expect(sumOf(metrics, 'wh_commit_to_socket_seconds_count')).toBeGreaterThan(0)
    expect(sumOf(metrics, 'wh_socket_clients')).toBe(1)

    // Queue depths for every queue, drained; reconciliation's corrections counted.
    const queues = new Set(metrics.get('wh_queue_jobs')!.samples.map((q) => q.labels.queue))
    expect([...queues].sort()).toEqual([
      'orders',
      'partition-0',
      'partition-1',
      'partition-2',
      'partition-3',
      'reconcile',
      'webhook-delivery',
      'webhook-sync',
    ])
    expect(sumOf(metrics, 'wh_queue_jobs', { state: 'failed' })).toBe(0)
    // A drain listens for more events a moment (DRAIN_LINGER_MS) before its job ends.
    await eventually('every drain job ended', async () => {
      const now = parsePrometheusText((await hub.inject({ url: '/metrics', headers: bearer(fixture.keys.metrics) })).body)
      return sumOf(now, 'wh_queue_jobs', { state: 'active' }) === 0
    })
    expect(sumOf(metrics, 'wh_partition_inbox_events')).toBe(0)
    // Nothing waits, nothing failed: every partition's oldest waiting event is 0 s old.
    const ages = metrics.get('wh_partition_oldest_event_age_seconds')!.samples
    expect(ages.map((a) => [a.labels.partition, a.value])).toEqual(['0', '1', '2', '3'].map((p) => [p, 0]))
    expect(metrics.get('wh_drain_failures_total')?.type).toBe('counter')
    expect(sumOf(metrics, 'wh_drain_failures_total')).toBe(0)
    expect(sumOf(metrics, 'wh_events_set_aside_total')).toBe(0)
    const corrected = { outcome: 'corrected' }
    expect(
      sumOf(metrics, 'wh_reconcile_discrepancies_total', corrected) - sumOf(before, 'wh_reconcile_discrepancies_total', corrected),
    ).toBe(run.corrections)
    expect(sumOf(metrics, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
  })

  it('counts the failed drain and the event set aside when the database refuses one event for good', async () => {
    const { fixture, hubs } = s
    const device = s.devices[0]!
    const [barcode, location] = [fixture.skus[0]!, fixture.locations[0]!]
    const poisoned = { ...device.event({ type: 'receive', barcode, location, qty: 1 }), eventId: POISONED }
    const fine = device.event({ type: 'receive', barcode, location, qty: 1 })
    await device.publish(poisoned)
    await device.publish(fine)
    await device.waitFor(() => device.acksFor(fine.eventId).length > 0 && device.acksFor(POISONED).length > 0)
    expect(device.acksFor(POISONED)).toMatchObject([{ status: 'held', code: 'APPLY_FAILED' }])
    expect(device.acksFor(fine.eventId)).toMatchObject([{ status: 'applied' }])

    const metrics = parsePrometheusText((await hubs[0]!.inject({ url: '/metrics', headers: bearer(fixture.keys.metrics) })).body)
    expect(sumOf(metrics, 'wh_events_set_aside_total')).toBe(1)
    expect(sumOf(metrics, 'wh_drain_failures_total', { transient: 'false' })).toBeGreaterThanOrEqual(1)
    expect(sumOf(metrics, 'wh_drain_failures_total', { transient: 'true' })).toBe(0)
    expect(sumOf(metrics, 'wh_events_total', { outcome: 'held', code: 'APPLY_FAILED' })).toBe(1)
  })

  it('answers with the request id it was given, or a new one', async () => {
    const hub = s.hubs[0]!
    const given = await hub.inject({ url: '/health', headers: { 'x-request-id': 'scrape-42' } })
    expect(given.headers['x-request-id']).toBe('scrape-42')
    const made = await hub.inject({ url: '/health', headers: { 'x-request-id': 'bad id with spaces' } })
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('/ready reports each check, the queues among them, its roles and no warnings', async () => {
    const ready = await s.hubs[0]!.inject('/ready')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({
      status: 'ready',
      roles: ['api', 'ingest', 'worker'],
      checks: { mysql: 'up', redis: 'up', mqtt: 'up', queues: 'up' },
      warnings: [],
    })
  })

  it('the queue view lists every queue', async () => {
    const hub = s.hubs[0]!
    const admin = bearer(s.fixture.keys.admin)
    expect((await hub.inject({ url: '/admin/queues', headers: admin })).statusCode).toBe(200)
    const api = await hub.inject({ url: '/admin/queues/api/queues?page=1&jobsPerPage=10', headers: admin })
    expect(
      api
        .json()
        .queues.map((q: { name: string }) => q.name)
        .sort(),
    ).toEqual(
      ['orders', 'partition-0', 'partition-1', 'partition-2', 'partition-3', 'reconcile', 'webhook-delivery', 'webhook-sync'].sort(),
    )
  })
})
