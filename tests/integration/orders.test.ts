import { describe, expect, it } from 'vitest'
import { OrderingClient, type ReserveResult } from '@wh/shared'
import type { HubApp } from '../../hub/src/app.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl, TestScreen } from '../helpers/screen.ts'

// Three instances: the second waits 1 s for a key in flight; the third lets reservations lapse
// after 2 s (only the expiry test orders through it: a lapse during the oversell test would hand
// its unit to a later order).
const s = useScenario('orders', {
  products: 6,
  locations: 3,
  devices: 2,
  hubs: [{}, { IDEMPOTENCY_WAIT_SECONDS: 1 }, { ORDER_TTL_SECONDS: 2 }],
})
const client = async (hub: HubApp, fetcher?: typeof fetch) =>
  new OrderingClient({ baseUrl: await httpUrl(hub), apiKey: s.fixture.keys.orders, backoffMs: 20, ...(fetcher ? { fetch: fetcher } : {}) })

async function receive(sku: string, location: string, qty: number) {
  const device = s.devices[0]!
  const event = device.event({ type: 'receive', barcode: sku, location, qty })
  await device.publish(event)
  await device.waitFor((acks) => acks.some((a) => a.eventId === event.eventId))
}

async function level(sku: string) {
  const rows = (await s.inspect.levels()).filter((l) => l.sku === sku)
  return { onHand: rows.reduce((n, l) => n + l.onHand, 0), reserved: rows.reduce((n, l) => n + l.reserved, 0) }
}

/** I6: per product and location, the active reservations add up to stock_levels.reserved. */
async function reservationsMatchLevels() {
  const rows = await s.inspect.rows<{ product_id: number; location_id: number; reserved: number; held: string | null }>(
    `SELECT s.product_id, s.location_id, s.reserved, (SELECT SUM(r.qty) FROM reservations r
       WHERE r.product_id = s.product_id AND r.location_id = s.location_id AND r.status = 'active') AS held FROM stock_levels s`,
  )
  return rows.filter((r) => r.reserved !== Number(r.held ?? 0))
}

describe('reservations never oversell', () => {
  it('100 available, 250 concurrent single-unit orders through two hubs while a scanner picks: exactly 100 units go', async () => {
    const [sku] = s.fixture.skus as [string]
    const [loc] = s.fixture.locations as [string]
    await receive(sku, loc, 100)
    const clients = [await client(s.hubs[0]!), await client(s.hubs[1]!)]
    const picker = s.devices[1]!
    const picks = Array.from({ length: 30 }, () => picker.event({ type: 'pick', barcode: sku, location: loc, qty: 1 }))

    const [results] = await Promise.all([
      Promise.all(Array.from({ length: 250 }, (_, i) => clients[i % 2]!.reserve({ site: SITE, lines: [{ sku, qty: 1 }] }))),
      Promise.all(picks.map((p) => picker.publish(p))),
    ])
    await picker.waitFor((acks) => picks.every((p) => acks.some((a) => a.eventId === p.eventId)))

    const reserved = results.filter((r) => r.ok).length
    const picked = picker.acks.filter((a) => picks.some((p) => p.eventId === a.eventId) && a.status === 'applied').length
    const short = results.filter((r): r is Extract<ReserveResult, { ok: false }> => !r.ok)
    expect(reserved + picked).toBe(100)
    expect(short).toHaveLength(250 - reserved)
    expect(short.every((r) => r.shortage.details[0]!.available === 0)).toBe(true)
    expect(await level(sku)).toEqual({ onHand: 100 - picked, reserved })
    expect(await reservationsMatchLevels()).toEqual([])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('a multi-line order with one short line is refused with the details, and reserves nothing', async () => {
    const [, a, b] = s.fixture.skus as [string, string, string]
    await receive(a, s.fixture.locations[0]!, 5)
    await receive(b, s.fixture.locations[0]!, 2)
    const ordering = await client(s.hubs[0]!)
    const result = await ordering.reserve({
      site: SITE,
      lines: [
        { sku: a, qty: 5 },
        { sku: b, qty: 3 },
      ],
    })
    expect(result).toEqual({
      ok: false,
      shortage: expect.objectContaining({
        status: 409,
        code: 'INSUFFICIENT_STOCK',
        title: expect.any(String),
        instance: '/api/orders',
        details: [{ sku: b, requested: 3, available: 2 }],
      }),
    })
    expect(await level(a)).toEqual({ onHand: 5, reserved: 0 })
    expect(await level(b)).toEqual({ onHand: 2, reserved: 0 })
  })
})

describe('Idempotency-Key', () => {
  it('10 identical requests at once give one reservation and identical answers; another body with the key is 422', async () => {
    const sku = s.fixture.skus[3]!
    await receive(sku, s.fixture.locations[1]!, 20)
    const ordering = await client(s.hubs[0]!)
    const request = { site: SITE, lines: [{ sku, qty: 4 }] }
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? client(s.hubs[1]!) : Promise.resolve(ordering)).then((c) => c.reserve(request, 'same-key-0001')),
      ),
    )
    const orders = results.map((r) => (r.ok ? r.order : undefined))
    expect(new Set(orders.map((o) => JSON.stringify(o))).size).toBe(1)
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1)
    expect(await level(sku)).toEqual({ onHand: 20, reserved: 4 })
    const other = ordering.reserve({ site: SITE, lines: [{ sku, qty: 5 }] }, 'same-key-0001')
    await expect(other).rejects.toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } })
  })

  it('a response lost after the commit: the retry with the same key gets the stored result', async () => {
    const sku = s.fixture.skus[4]!
    await receive(sku, s.fixture.locations[1]!, 10)
    let lost = 0
    // The request reaches the hub and commits; its answer never reaches the client.
    const dropFirstAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (lost++ === 0) throw new TypeError('fetch failed: socket hang up')
      return response
    }
    const result = await (await client(s.hubs[0]!, dropFirstAnswer)).reserve({ site: SITE, lines: [{ sku, qty: 3 }] })
    expect(result).toMatchObject({ ok: true, replayed: true, order: { status: 'pending', lines: [{ sku, qty: 3 }] } })
    expect(await level(sku)).toEqual({ onHand: 10, reserved: 3 })
    // One order holds the product, however many times the request was sent.
    const holders = await s.inspect.rows<{ order_id: string }>(
      'SELECT DISTINCT r.order_id FROM reservations r JOIN products p ON p.id = r.product_id WHERE p.sku = ?',
      [sku],
    )
    expect(holders.map((h) => h.order_id)).toEqual([result.ok && result.order.orderId])
  })
})

describe('a request whose key is still in flight', () => {
  it('waits for the first, and is told 409 with Retry-After when the first takes longer', async () => {
    // The first request with this key, still running: its order row is inserted but not committed.
    const first = await s.inspect.db.query('SELECT 1').then(() => s.inspect.db)
    await first.beginTransaction()
    await first.query(
      `INSERT INTO orders (id, idempotency_key, request_hash, site, status, response_status, response_body) VALUES (UUID(), 'in-flight-key-1', 'x', ?, 'pending', 0, '')`,
      [SITE],
    )
    try {
      const base = await httpUrl(s.hubs[1]!)
      const started = Date.now()
      const response = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'in-flight-key-1', ...bearer(s.fixture.keys.orders) },
        body: JSON.stringify({ site: SITE, lines: [{ sku: s.fixture.skus[0], qty: 1 }] }),
      })
      expect(response.status).toBe(409)
      expect(response.headers.get('retry-after')).toBe('1')
      expect(await response.json()).toMatchObject({ code: 'IDEMPOTENCY_IN_FLIGHT' })
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    } finally {
      await first.rollback()
    }
  })
})

describe('reservation lifecycle', () => {
  it('expiry releases the stock, and the floor screen sees it; confirming after expiry fails cleanly', async () => {
    const sku = s.fixture.skus[5]!
    await receive(sku, s.fixture.locations[2]!, 8)
    const screen = await TestScreen.open(s.hubs[0]!, { apiKey: s.fixture.keys.viewer })
    const ordering = await client(s.hubs[2]!)
    const placed = await ordering.reserve({ site: SITE, lines: [{ sku, qty: 6 }] })
    if (!placed.ok) throw new Error('not reserved')
    await eventually('the screen to show the reservation', () => screen.view.stock.get(sku)?.reserved === 6, 3000)
    await eventually('the expiry', async () => (await level(sku)).reserved === 0, 20_000)
    await eventually('the screen to show the release', () => screen.view.stock.get(sku)?.available === 8, 3000)
    screen.close()
    await expect(ordering.confirm(placed.order.orderId)).rejects.toMatchObject({ status: 409, body: { code: 'ORDER_EXPIRED' } })
    const audit = await s.inspect.rows<{ action: string }>('SELECT action FROM audit_log WHERE entity = ? AND entity_id = ?', [
      'order',
      placed.order.orderId,
    ])
    expect(audit.map((a) => a.action)).toEqual(['expire'])
    const release = await s.inspect.rows<{ type: string; qty_delta: number; reason: string; triggered_by: string }>(
      'SELECT type, qty_delta, reason, triggered_by FROM stock_movements WHERE order_id = ?',
      [placed.order.orderId],
    )
    expect(release).toEqual([{ type: 'release', qty_delta: 0, reason: 'expired: 6 reserved released', triggered_by: 'order-expiry' }])
    expect(await reservationsMatchLevels()).toEqual([])
  })

  it('confirm and cancel each resolve an order at most once, a repeat answering its state; cancel releases what is still reserved', async () => {
    const sku = s.fixture.skus[1]!
    const ordering = await client(s.hubs[0]!)
    const placed = await ordering.reserve({ site: SITE, lines: [{ sku, qty: 2 }] })
    if (!placed.ok) throw new Error('not reserved')
    const { orderId } = placed.order
    expect((await ordering.confirm(orderId)).status).toBe('confirmed')
    expect((await ordering.confirm(orderId)).status).toBe('confirmed')
    expect((await ordering.cancel(orderId)).status).toBe('cancelled')
    expect((await ordering.cancel(orderId)).status).toBe('cancelled')
    await expect(ordering.confirm(orderId)).rejects.toMatchObject({ status: 409, body: { code: 'ORDER_CANCELLED' } })
    const audit = await s.inspect.rows<{ action: string; before: string; after: string }>(
      'SELECT action, `before`, `after` FROM audit_log WHERE entity_id = ?',
      [orderId],
    )
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'cancel', after: JSON.stringify({ status: 'cancelled' }) })
    expect(JSON.parse(audit[0]!.before)).toMatchObject({ status: 'confirmed', reserved: [{ qty: 2 }] })
    expect(await level(sku)).toEqual({ onHand: 5, reserved: 0 })
  })

  it('a pick with the order id takes its reserved stock; a pick beyond the reservation is held', async () => {
    const sku = s.fixture.skus[2]!
    const loc = s.fixture.locations[0]!
    const ordering = await client(s.hubs[0]!)
    const placed = await ordering.reserve({ site: SITE, lines: [{ sku, qty: 2 }] })
    if (!placed.ok) throw new Error('not reserved')
    const { orderId } = placed.order
    expect(placed.order.lines[0]!.reservations).toEqual([{ location: loc, qty: 2 }])
    const picker = s.devices[1]!
    const first = picker.event({ type: 'pick', barcode: sku, location: loc, qty: 1, orderId })
    const beyond = picker.event({ type: 'pick', barcode: sku, location: loc, qty: 2, orderId })
    await picker.publish(first)
    await picker.publish(beyond)
    await picker.waitFor((acks) => acks.some((a) => a.eventId === beyond.eventId))
    expect(picker.acksFor(first.eventId)[0]).toMatchObject({ status: 'applied', onHand: 1, available: 0 })
    expect(picker.acksFor(beyond.eventId)[0]).toMatchObject({ status: 'held', code: 'INSUFFICIENT_STOCK' })
    expect(await level(sku)).toEqual({ onHand: 1, reserved: 1 })
    expect(await reservationsMatchLevels()).toEqual([])
    await ordering.cancel(orderId)
    expect(await level(sku)).toEqual({ onHand: 1, reserved: 0 })
    expect(await s.inspect.inconsistencies()).toEqual([])
  })
})

describe('live stock for the ordering site', () => {
  it('pages the inventory with the low-stock flag, and checks many lines at once', async () => {
    const ordering = await client(s.hubs[0]!)
    const base = await httpUrl(s.hubs[0]!)
    // The ordering site reads stock with its own key (orders reaches every viewer route).
    const get = (path: string) => fetch(`${base}${path}`, { headers: bearer(s.fixture.keys.orders) })
    const page = (await (await get(`/api/inventory?site=${SITE}&limit=2`)).json()) as { items: { sku: string }[]; next: string }
    expect(page.items.map((i) => i.sku)).toEqual(s.fixture.skus.slice(0, 2))
    const rest = (await (await get(`/api/inventory?site=${SITE}&after=${page.next}`)).json()) as { items: { sku: string }[]; next: null }
    expect(rest).toMatchObject({ next: null })
    expect(rest.items.map((i) => i.sku)).toEqual(s.fixture.skus.slice(2))
    const found = (await (await get(`/api/inventory?site=${SITE}&search=-4`)).json()) as { items: { sku: string }[] }
    expect(found.items.map((i) => i.sku)).toEqual([s.fixture.skus[3]])
    // Reorder thresholds are 0 here: low means nothing available.
    await s.inspect.db.query('UPDATE products SET reorder_threshold = 1000 WHERE sku = ?', [s.fixture.skus[5]])
    const low = (await (await get(`/api/inventory?site=${SITE}&low=true`)).json()) as { items: { sku: string; low: boolean }[] }
    const expected = []
    for (const sku of s.fixture.skus) {
      const l = await level(sku)
      if (l.onHand - l.reserved <= (sku === s.fixture.skus[5] ? 1000 : 0)) expected.push(sku)
    }
    expect(low.items.map((i) => i.sku)).toEqual(expected)
    expect(expected).toContain(s.fixture.skus[5])
    const sku = s.fixture.skus[3]!
    const { onHand, reserved } = await level(sku)
    const available = onHand - reserved
    const one = await (await get(`/api/inventory/${sku}?site=${SITE}`)).json()
    expect(one).toMatchObject({ sku, site: SITE, onHand: 20, reserved, available, low: false, name: `Product ${sku}` })

    const check = await ordering.check({
      site: SITE,
      items: [
        { sku, qty: available },
        { sku, qty: available + 1 },
        { sku: 'NO-SUCH', qty: 1 },
      ],
    })
    expect(check.site).toBe(SITE)
    expect(check.items).toEqual([
      { sku, requested: available, available, ok: true },
      { sku, requested: available + 1, available, ok: false },
      { sku: 'NO-SUCH', requested: 1, available: 0, ok: false },
    ])
  })
})

describe('OpenAPI', () => {
  it('describes the ordering API at /docs from the same schemas, with examples', async () => {
    const doc = (await s.hubs[0]!.inject('/docs/json')).json()
    expect(doc.openapi).toMatch(/^3\./)
    const reserve = doc.paths['/api/orders'].post
    expect(reserve.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key', required: true })]),
    )
    expect(reserve.requestBody.content['application/json'].example).toEqual({
      site: 'dc1',
      lines: [{ sku: 'SKU-01S', qty: 2 }],
      externalRef: 'WC-10234',
    })
    expect(Object.keys(reserve.responses)).toEqual(expect.arrayContaining(['200', '201', '409', '422']))
    expect(doc.paths['/api/orders'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['site', 'status', 'fulfilment', 'from', 'to', 'externalRef', 'after', 'limit']),
    )
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/stock/check',
        '/api/inventory',
        '/api/orders/{id}/confirm',
        '/api/orders/{id}/cancel',
        '/api/orders/{id}/fulfilment',
        '/api/orders/{id}/cancel-lines',
      ]),
    )
    expect((await s.hubs[0]!.inject('/docs')).statusCode).toBeLessThan(400)
  })
})
