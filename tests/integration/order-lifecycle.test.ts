import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { OrderingClient, type IssuedApiKey, type Order, type OrderPage } from '@wh/shared'
import type { HubApp } from '../../hub/src/app.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl } from '../helpers/screen.ts'

// Two hubs on one database; the second lets reservations lapse after 2 s (only the expiry test
// reserves through it: the others reserve on the first and confirm, cancel and read on either).
const s = useScenario('orderlife', { products: 4, locations: 2, devices: 1, hubs: [{}, { ORDER_TTL_SECONDS: 2 }] })
const [hubA, hubB] = [() => s.hubs[0]!, () => s.hubs[1]!]
const client = async (hub: HubApp, apiKey = s.fixture.keys.orders) =>
  new OrderingClient({ baseUrl: await httpUrl(hub), apiKey, backoffMs: 20 })
const call = (hub: () => HubApp, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  hub().inject({ method, url, headers: { ...bearer(s.fixture.keys.orders), ...headers }, ...(payload ? { payload } : {}) })
const SITE2 = 'site2'
let subscription: number

async function receive(sku: string, location: string, qty: number) {
  const device = s.devices[0]!
  const [ack] = await device.send([device.event({ type: 'receive', barcode: sku, location, qty })])
  expect(ack!.status).toBe('applied')
}

async function reserved(sku: string) {
  const rows = (await s.inspect.levels()).filter((l) => l.sku === sku)
  return rows.reduce((n, l) => n + l.reserved, 0)
}

/** The order events owed to the test's subscription for one order, in delivery order. */
async function events(orderId: string, subscriptionId = subscription) {
  const rows = await s.inspect.rows<{ type: string; payload: string; msg_id: string }>(
    'SELECT type, payload, msg_id FROM webhook_messages WHERE subscription_id = ? ORDER BY id',
    [subscriptionId],
  )
  return rows
    .map((r) => ({ type: r.type, msgId: r.msg_id, body: JSON.parse(r.payload) as { type: string; data: Record<string, unknown> } }))
    .filter((r) => r.body.data.orderId === orderId)
}

beforeAll(async () => {
  // A subscription as the webhook admin API would store it (its secret is never used here: no delivery runs).
  const subscribe = async (site: string, families: string[]) => {
    const [result] = await s.inspect.db.query(
      `INSERT INTO webhook_subscriptions (name, site, url, events, secret_sealed, created_by) VALUES (?, ?, 'http://127.0.0.1:9/hook', ?, 'sealed', 'test')`,
      [`shop-${site}-${families.join()}`, site, JSON.stringify(families)],
    )
    return (result as { insertId: number }).insertId
  }
  await s.inspect.db.query(`INSERT INTO sites (code, name) VALUES (?, 'Second site')`, [SITE2])
  subscription = await subscribe(SITE, ['stock', 'orders'])
  await subscribe(SITE, ['stock'])
  await subscribe(SITE2, ['orders'])
  for (const sku of s.fixture.skus) await receive(sku, s.fixture.locations[0]!, 50)
})

describe('an external reference per client', () => {
  it('a create retried with the same reference finds the order, on either hub and with another key; other lines are refused', async () => {
    const [sku] = s.fixture.skus as [string]
    const request = { site: SITE, lines: [{ sku, qty: 3 }], externalRef: 'WC-1001' }
    const before = await reserved(sku)
    const first = await (await client(hubA())).reserve(request, 'ref-key-0001')
    if (!first.ok) throw new Error('not reserved')
    expect(first).toMatchObject({ replayed: false, order: { externalRef: 'WC-1001', status: 'pending' } })
    // Another Idempotency-Key (the shop lost the first), on the other hub: the same order, 200.
    const again = await call(hubB, 'POST', '/api/orders', request, { 'idempotency-key': 'ref-key-0002' })
    expect(again.statusCode).toBe(200)
    expect(again.headers['existing-order']).toBe('true')
    expect(again.json<Order>()).toMatchObject({ orderId: first.order.orderId, externalRef: 'WC-1001', lines: [{ sku, qty: 3 }] })
    // Many at once, on both hubs: still the one order.
    const racing = await Promise.all(
      [0, 1, 2, 3].map(async (i) => (await client(i % 2 ? hubB() : hubA())).reserve(request, `ref-key-race-${i}`)),
    )
    expect(racing.map((r) => r.ok && r.order.orderId)).toEqual(racing.map(() => first.order.orderId))
    expect(await reserved(sku)).toBe(before + 3)
    // The same reference with other lines is a clear conflict naming the order.
    const other = await call(hubA, 'POST', '/api/orders', { ...request, lines: [{ sku, qty: 4 }] }, { 'idempotency-key': 'ref-key-0003' })
    expect(other.statusCode).toBe(409)
    expect(other.json()).toMatchObject({ code: 'ORDER_REFERENCE_REUSED', detail: expect.stringContaining(first.order.orderId) })
    // Unique per client: another key may use the same reference for its own order.
    const admin = await (await client(hubA(), s.fixture.keys.admin)).reserve(request, 'ref-key-0004')
    expect(admin.ok && admin.order.orderId).not.toBe(first.order.orderId)
    expect(await (await client(hubB())).byReference('WC-1001')).toMatchObject({ orderId: first.order.orderId })
    expect(await (await client(hubB())).byReference('WC-NONE')).toBeUndefined()
    expect((await events(first.order.orderId)).map((e) => e.type)).toEqual(['order.reserved'])
  })

  it('a request refused for stock leaves its reference free for the retry after a restock', async () => {
    const sku = s.fixture.skus[3]!
    const ordering = await client(hubA())
    const request = { site: SITE, lines: [{ sku, qty: 60 }], externalRef: 'WC-SHORT' }
    expect(await ordering.reserve(request, 'short-key-0001')).toMatchObject({ ok: false })
    await receive(sku, s.fixture.locations[1]!, 20)
    expect(await ordering.reserve(request, 'short-key-0002')).toMatchObject({ ok: true, replayed: false })
  })
})

describe('confirm and cancel, repeated', () => {
  it('confirm twice on different hubs answers the confirmed order both times; cancel twice likewise; confirm after cancel is 409', async () => {
    const sku = s.fixture.skus[1]!
    const placed = await (await client(hubA())).reserve({ site: SITE, lines: [{ sku, qty: 2 }] })
    if (!placed.ok) throw new Error('not reserved')
    const { orderId } = placed.order
    const confirms = [
      await call(hubA, 'POST', `/api/orders/${orderId}/confirm`),
      await call(hubB, 'POST', `/api/orders/${orderId}/confirm`),
    ]
    expect(confirms.map((r) => [r.statusCode, r.json<Order>().status, r.headers['idempotent-replayed']])).toEqual([
      [200, 'confirmed', undefined],
      [200, 'confirmed', 'true'],
    ])
    const cancels = [await call(hubB, 'POST', `/api/orders/${orderId}/cancel`), await call(hubA, 'POST', `/api/orders/${orderId}/cancel`)]
    expect(cancels.map((r) => [r.statusCode, r.json<Order>().status, r.headers['idempotent-replayed']])).toEqual([
      [200, 'cancelled', undefined],
      [200, 'cancelled', 'true'],
    ])
    const late = await call(hubA, 'POST', `/api/orders/${orderId}/confirm`)
    expect(late.statusCode).toBe(409)
    expect(late.json()).toMatchObject({ code: 'ORDER_CANCELLED', detail: expect.stringContaining('is cancelled') })
    expect((await events(orderId)).map((e) => e.type)).toEqual(['order.reserved', 'order.confirmed', 'order.cancelled'])
  })

  it('an order that lapsed is expired: its event is owed, and a confirm is 409 with its status', async () => {
    const sku = s.fixture.skus[2]!
    const before = await reserved(sku)
    const placed = await (await client(hubB())).reserve({ site: SITE, lines: [{ sku, qty: 1 }], externalRef: 'WC-LAPSE' })
    if (!placed.ok) throw new Error('not reserved')
    await eventually('the expiry', async () => (await reserved(sku)) === before, 20_000)
    await expect((await client(hubA())).confirm(placed.order.orderId)).rejects.toMatchObject({
      status: 409,
      body: { code: 'ORDER_EXPIRED' },
    })
    const owed = await events(placed.order.orderId)
    expect(owed.map((e) => e.type)).toEqual(['order.reserved', 'order.expired'])
    expect(owed[1]!.body.data).toEqual({ orderId: placed.order.orderId, site: SITE, externalRef: 'WC-LAPSE', status: 'expired' })
  })
})

describe('partial cancel', () => {
  it('releases part of the lines, refuses more than is reserved, and cancels the order with the last units', async () => {
    const [a, b] = s.fixture.skus.slice(1, 3) as [string, string]
    const ordering = await client(hubA())
    const [beforeA, beforeB] = [await reserved(a), await reserved(b)]
    const placed = await ordering.reserve({
      site: SITE,
      lines: [
        { sku: a, qty: 3 },
        { sku: b, qty: 2 },
      ],
      externalRef: 'WC-PART',
    })
    if (!placed.ok) throw new Error('not reserved')
    const { orderId } = placed.order
    const part = await ordering.cancelLines(orderId, [{ sku: a, qty: 1 }])
    expect(part).toMatchObject({
      status: 'pending',
      lines: [
        { sku: a, qty: 2, cancelled: 1 },
        { sku: b, qty: 2 },
      ],
    })
    expect(await reserved(a)).toBe(beforeA + 2)
    // More than the line still holds, or a SKU the order does not have: refused, nothing changed.
    await expect(ordering.cancelLines(orderId, [{ sku: b, qty: 3 }])).rejects.toMatchObject({
      status: 409,
      body: { code: 'LINES_NOT_RESERVED', details: [{ sku: b, requested: 3, reserved: 2 }] },
    })
    await expect(ordering.cancelLines(orderId, [{ sku: s.fixture.skus[0]!, qty: 1 }])).rejects.toMatchObject({ status: 409 })
    expect(await reserved(b)).toBe(beforeB + 2)
    // The rest, through the other hub: the order is cancelled.
    const rest = await (
      await client(hubB())
    ).cancelLines(orderId, [
      { sku: a, qty: 2 },
      { sku: b, qty: 2 },
    ])
    expect(rest).toMatchObject({
      status: 'cancelled',
      lines: [
        { sku: a, qty: 0, cancelled: 3 },
        { sku: b, qty: 0, cancelled: 2 },
      ],
    })
    expect([await reserved(a), await reserved(b)]).toEqual([beforeA, beforeB])
    expect((await ordering.cancel(orderId)).status).toBe('cancelled')
    await expect(ordering.cancelLines(orderId, [{ sku: a, qty: 1 }])).rejects.toMatchObject({
      status: 409,
      body: { code: 'ORDER_CANCELLED' },
    })
    const audit = await s.inspect.rows<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity = 'order' AND entity_id = ? ORDER BY id",
      [orderId],
    )
    expect(audit.map((r) => r.action)).toEqual(['cancel-lines', 'cancel'])
    const releases = await s.inspect.rows<{ reason: string }>(
      "SELECT reason FROM stock_movements WHERE order_id = ? AND type = 'release' ORDER BY id",
      [orderId],
    )
    expect(releases.map((r) => r.reason)).toEqual([
      'lines cancelled: 1 reserved released',
      'lines cancelled: 2 reserved released',
      'lines cancelled: 2 reserved released',
    ])
    const owed = await events(orderId)
    expect(owed.map((e) => e.type)).toEqual(['order.reserved', 'order.lines_cancelled', 'order.lines_cancelled', 'order.cancelled'])
    expect(owed[1]!.body.data).toMatchObject({
      externalRef: 'WC-PART',
      status: 'pending',
      lines: [
        { sku: a, qty: 2, cancelled: 1 },
        { sku: b, qty: 2 },
      ],
    })
  })
})

describe('fulfilment', () => {
  it('picked from pick scans with the order id, then packed and shipped by API, only forward and only confirmed', async () => {
    const sku = s.fixture.skus[0]!
    const loc = s.fixture.locations[0]!
    const ordering = await client(hubA())
    const placed = await ordering.reserve({ site: SITE, lines: [{ sku, qty: 2 }], externalRef: 'WC-SHIP' })
    if (!placed.ok) throw new Error('not reserved')
    const { orderId } = placed.order
    await expect(ordering.fulfil(orderId, 'packed')).rejects.toMatchObject({ status: 409, body: { code: 'ORDER_NOT_CONFIRMED' } })
    await ordering.confirm(orderId)
    const device = s.devices[0]!
    const [first] = await device.send([device.event({ type: 'pick', barcode: sku, location: loc, qty: 1, orderId })])
    expect(first!.status).toBe('applied')
    expect((await ordering.get(orderId)).fulfilment).toBeNull()
    const [last] = await device.send([device.event({ type: 'pick', barcode: sku, location: loc, qty: 1, orderId })])
    expect(last!.status).toBe('applied')
    expect(await (await client(hubB())).get(orderId)).toMatchObject({ status: 'confirmed', fulfilment: 'picked' })

    const packed = await call(hubB, 'POST', `/api/orders/${orderId}/fulfilment`, { status: 'packed' })
    expect([packed.statusCode, packed.json<Order>().fulfilment]).toEqual([200, 'packed'])
    const repeated = await call(hubA, 'POST', `/api/orders/${orderId}/fulfilment`, { status: 'packed' })
    expect([repeated.statusCode, repeated.headers['idempotent-replayed']]).toEqual([200, 'true'])
    expect((await ordering.fulfil(orderId, 'shipped')).fulfilment).toBe('shipped')
    await expect(ordering.fulfil(orderId, 'packed')).rejects.toMatchObject({ status: 409, body: { code: 'FULFILMENT_BACKWARD' } })
    const audit = await s.inspect.rows<{ action: string; after: string }>(
      "SELECT action, `after` FROM audit_log WHERE entity = 'order' AND entity_id = ? ORDER BY id",
      [orderId],
    )
    expect(audit.map((r) => [r.action, JSON.parse(r.after)])).toEqual([
      ['packed', { fulfilment: 'packed' }],
      ['shipped', { fulfilment: 'shipped' }],
    ])
    const owed = await events(orderId)
    expect(owed.map((e) => e.type)).toEqual(['order.reserved', 'order.confirmed', 'order.picked', 'order.packed', 'order.shipped'])
    expect(owed[2]!.body).toMatchObject({
      type: 'order.picked',
      timestamp: expect.any(String),
      data: { orderId, site: SITE, externalRef: 'WC-SHIP', status: 'confirmed', fulfilment: 'picked' },
    })
    expect(new Set(owed.map((e) => e.msgId)).size).toBe(owed.length)
  })
})

describe('list and search', () => {
  it('filters by status, fulfilment, site, time and reference, and pages with a cursor', async () => {
    const base = await httpUrl(hubB())
    const list = async (query: string, key = s.fixture.keys.orders) => {
      const response = await fetch(`${base}/api/orders?${query}`, { headers: bearer(key) })
      expect(response.status).toBe(200)
      return (await response.json()) as OrderPage
    }
    const all: Order[] = []
    for (let after: string | null = '', pages = 0; after !== null; pages++) {
      const page = await list(`limit=2${after ? `&after=${after}` : ''}`)
      expect(page.items.length).toBeLessThanOrEqual(2)
      all.push(...page.items)
      after = page.next
      expect(pages).toBeLessThan(50)
    }
    const [rows] = await s.inspect.db.query("SELECT id FROM orders WHERE status <> 'rejected' ORDER BY created_at DESC, id DESC")
    expect(all.map((o) => o.orderId)).toEqual((rows as { id: string }[]).map((r) => r.id))
    expect(all.length).toBeGreaterThanOrEqual(6)

    expect((await list('status=cancelled')).items.every((o) => o.status === 'cancelled')).toBe(true)
    expect((await list('fulfilment=shipped')).items.map((o) => o.externalRef)).toEqual(['WC-SHIP'])
    expect((await list('externalRef=WC-1001')).items).toHaveLength(2)
    expect((await list('externalRef=WC-1001&mine=true')).items).toHaveLength(1)
    expect((await list(`site=${SITE}&status=expired`)).items.map((o) => o.externalRef)).toEqual(['WC-LAPSE'])
    const oldest = all.at(-1)!.createdAt!
    const newest = all[0]!.createdAt!
    expect((await list(`to=${encodeURIComponent(oldest)}`)).items).toEqual([])
    expect((await list(`from=${encodeURIComponent(newest)}`)).items.map((o) => o.orderId)).toContain(all[0]!.orderId)

    // A key limited to another site sees none of these, and may not ask for them.
    const issued = await hubA().inject({
      method: 'POST',
      url: '/api/keys',
      headers: bearer(s.fixture.keys.admin),
      payload: { name: `site2-${randomUUID().slice(0, 8)}`, role: 'orders', sites: [SITE2] },
    })
    const { key } = issued.json<IssuedApiKey>()
    expect((await list('limit=500', key)).items).toEqual([])
    const refused = await fetch(`${base}/api/orders?site=${SITE}`, { headers: bearer(key) })
    expect(refused.status).toBe(403)
    const shipped = (await list('fulfilment=shipped')).items[0]!
    for (const [path, body] of [
      ['fulfilment', { status: 'shipped' }],
      ['cancel-lines', { lines: [{ sku: shipped.lines[0]!.sku, qty: 1 }] }],
    ] as const) {
      const response = await fetch(`${base}/api/orders/${shipped.orderId}/${path}`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(403)
    }
    const bad = await fetch(`${base}/api/orders?after=bm90LWEtY3Vyc29y`, { headers: bearer(s.fixture.keys.orders) })
    expect(bad.status).toBe(400)
  })

  it('owes no order event to a stock-only subscription or another site', async () => {
    const [others] = await s.inspect.db.query(
      "SELECT COUNT(*) AS n FROM webhook_messages m JOIN webhook_subscriptions s ON s.id = m.subscription_id WHERE s.id <> ? AND m.type LIKE 'order.%'",
      [subscription],
    )
    expect(Number((others as { n: number }[])[0]!.n)).toBe(0)
  })
})
