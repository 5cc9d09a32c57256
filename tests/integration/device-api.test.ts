import { beforeAll, describe, expect, it } from 'vitest'
import type { HandheldLookup, HandheldOrders, HandheldPickPlan, HandheldReceiving } from '@wh/shared'
import { deviceRequest, type DeviceRequestOptions } from '../helpers/device-requests.ts'
import { bearer, gtinFor, seedSite, SITE } from '../helpers/fixtures.ts'
import { purchaseOrderKit } from '../helpers/purchase-orders.ts'
import { everyChange } from '../helpers/route-tree.ts'
import { useScenario } from '../helpers/scenario.ts'

// No scheduled reconciliation: a refused request must leave every table as it was, and a run would
// add a row. Hub 1 counts refused requests against a small budget.
const quiet = { RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0 }
const s = useScenario('devapi', {
  products: 3,
  locations: 2,
  devices: 2,
  hubs: [quiet, { ...quiet, RATE_LIMIT_MAX: 4, RATE_LIMIT_WINDOW_MS: 60_000 }],
})
const OTHER = 'site2'
const hub = () => s.hubs[0]!
const po = purchaseOrderKit(s)
const read = <T = Record<string, unknown>>(deviceId: string, url: string, o?: DeviceRequestOptions) =>
  deviceRequest<T>(hub(), deviceId, url, o)
const refusal = (status: number, code: string) => ({ status, body: expect.objectContaining({ code }) })

/** The order the pick-plan test places; the refusal tests ask for it from the other site. */
let orderId: string

beforeAll(async () => {
  await seedSite(s.env, { code: OTHER, locations: [{ code: 'L-1' }], devices: ['E-1'] })
  const other = await po.api('POST', '/api/purchase-orders', { poNumber: 'PO-E1', site: OTHER, lines: [{ sku: 'P-1', qty: 3 }] })
  expect(other.status).toBe(201)
})

/** Row counts of every table: what a refused request must leave as it was. */
async function footprint() {
  const tables = await s.inspect.rows<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
  )
  const rows: Record<string, number> = {}
  for (const { name } of tables) rows[name] = (await s.inspect.rows<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${name}\``))[0]!.n
  return rows
}

describe('the handheld reads its work lists with signed requests', () => {
  it("lists its site's open POs with what remains after receipts scanned through the pipeline", async () => {
    const { gtins } = s.fixture
    expect(
      (
        await po.create(
          'PO-H1',
          [
            { sku: 'P-1', qty: 10 },
            { sku: 'P-2', qty: 5 },
          ],
          { supplier: 'Acme', expectedAt: '2027-01-15' },
        )
      ).status,
    ).toBe(201)
    expect((await po.create('PO-H0', [{ sku: 'P-1', qty: 1 }])).status).toBe(201)
    expect((await po.api('POST', '/api/purchase-orders/PO-H0/close')).status).toBe(200)
    await po.receive('P-1', 4, 'PO-H1')
    await po.receive('P-1', 2, 'PO-H1')

    expect(await read<HandheldReceiving>('D-1', '/api/handheld/receiving')).toMatchObject({
      status: 200,
      body: {
        purchaseOrders: [
          {
            poNumber: 'PO-H1',
            supplier: 'Acme',
            expectedAt: '2027-01-15',
            status: 'open',
            lines: [
              { sku: 'P-1', name: 'Product P-1', gtins: [gtins[0]], ordered: 10, received: 6, remaining: 4 },
              { sku: 'P-2', name: 'Product P-2', gtins: [gtins[1]], ordered: 5, received: 0, remaining: 5 },
            ],
          },
        ],
      },
    })
    // The other site's device sees its own site's PO only, with no supplier or date it was not given.
    expect((await read('E-1', '/api/handheld/receiving')).body).toEqual({
      purchaseOrders: [
        {
          poNumber: 'PO-E1',
          status: 'open',
          lines: [{ sku: 'P-1', name: 'Product P-1', gtins: [gtins[0]], ordered: 3, received: 0, remaining: 3 }],
        },
      ],
    })
  })

  it("shows an order's pick plan: where its stock is held, the earlier-expiring lot first", async () => {
    const device = s.devices[0]!
    const [l1, l2] = s.fixture.locations as [string, string]
    const label = (lot: string, expiry: string, qty: number) => `(01)${s.fixture.gtins[2]}(10)${lot}(17)${expiry}(37)${qty}`
    // The later lot arrives first: the plan follows expiry, not arrival.
    const acks = await device.send([
      device.event({ type: 'receive', barcode: label('LATE', '270630', 5), location: l1 }),
      device.event({ type: 'receive', barcode: label('EARLY', '270331', 5), location: l1 }),
      device.event({ type: 'receive', barcode: 'P-3', location: l2, qty: 4 }),
    ])
    expect(acks.map((a) => a.status)).toEqual(['applied', 'applied', 'applied'])
    const placed = await hub().inject({
      method: 'POST',
      url: '/api/orders',
      headers: { ...bearer(s.fixture.keys.orders), 'idempotency-key': 'devapi-order-0001' },
      payload: { site: SITE, lines: [{ sku: 'P-3', qty: 12 }] },
    })
    expect(placed.statusCode).toBe(201)
    orderId = placed.json<{ orderId: string }>().orderId

    const line = { sku: 'P-3', name: 'Product P-3' }
    expect(await read<HandheldOrders>('D-1', '/api/handheld/orders')).toEqual({
      status: 200,
      body: { orders: [{ orderId, status: 'pending', createdAt: expect.any(String), lines: [{ ...line, qty: 12, remaining: 12 }] }] },
      headers: expect.anything(),
    })
    const plan = (picks: HandheldPickPlan['lines'][number]['picks']) => ({
      orderId,
      status: 'pending',
      lines: [{ ...line, gtins: [s.fixture.gtins[2]], remaining: picks.reduce((n, p) => n + p.qty, 0), picks }],
    })
    expect((await read<HandheldPickPlan>('D-1', `/api/handheld/orders/${orderId}`)).body).toEqual(
      plan([
        {
          location: l1,
          qty: 10,
          lots: [
            { lot: 'EARLY', expiry: '2027-03-31', onHand: 5 },
            { lot: 'LATE', expiry: '2027-06-30', onHand: 5 },
          ],
        },
        { location: l2, qty: 2, lots: [{ lot: '', expiry: null, onHand: 4 }] },
      ]),
    )

    // A pick for the order, scanned, takes the early lot and what the order still holds.
    const [pick] = await device.send([device.event({ type: 'pick', barcode: 'P-3', location: l1, qty: 3, orderId })])
    expect(pick).toMatchObject({ status: 'applied' })
    expect((await read<HandheldPickPlan>('D-1', `/api/handheld/orders/${orderId}`)).body).toEqual(
      plan([
        {
          location: l1,
          qty: 7,
          lots: [
            { lot: 'EARLY', expiry: '2027-03-31', onHand: 2 },
            { lot: 'LATE', expiry: '2027-06-30', onHand: 5 },
          ],
        },
        { location: l2, qty: 2, lots: [{ lot: '', expiry: null, onHand: 4 }] },
      ]),
    )
    expect((await read<HandheldOrders>('D-1', '/api/handheld/orders')).body.orders[0]!.lines).toEqual([{ ...line, qty: 12, remaining: 9 }])
    // The other site has no orders to pick.
    expect((await read<HandheldOrders>('E-1', '/api/handheld/orders')).body).toEqual({ orders: [] })
  })

  it('looks up a GS1-128 label: the product, its lot and expiry, and the stock by location', async () => {
    const device = s.devices[0]!
    const [, l2] = s.fixture.locations as [string, string]
    expect(await device.send([device.event({ type: 'receive', barcode: 'P-2', location: l2, qty: 3 })])).toMatchObject([
      { status: 'applied' },
    ])
    const gtin = s.fixture.gtins[1]!
    const lookup = (barcode: string) => read<HandheldLookup>('D-1', `/api/handheld/lookup?barcode=${encodeURIComponent(barcode)}`)
    const found = { sku: 'P-2', name: 'Product P-2', packQty: 1, locations: [{ location: l2, onHand: 3, available: 3 }] }
    // As a scanner transmits it (symbology identifier, FNC1 as GS), and as printed under the bars.
    for (const label of [`]C101${gtin}10LOT-7\x1d17271231`, `(01)${gtin}(10)LOT-7(17)271231`]) {
      expect(await lookup(label)).toMatchObject({ status: 200, body: { ...found, lot: 'LOT-7', expiry: '2027-12-31' } })
    }
    expect((await lookup('P-2')).body).toEqual(found)
    const wrongCheckDigit = `${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}`
    expect(await lookup(`(01)${wrongCheckDigit}`)).toMatchObject(refusal(422, 'BAD_BARCODE'))
    expect(await lookup(gtinFor(99))).toMatchObject(refusal(422, 'UNKNOWN_BARCODE'))
  })

  it('tells the device who it is and lists its locations; a key names the site and has no device identity', async () => {
    expect((await read('D-1', '/api/handheld/me')).body).toEqual({ deviceId: 'D-1', site: SITE, name: 'Test site', enabled: true })
    const location = { zone: '', pickable: true, active: true }
    expect((await read('D-1', '/api/handheld/locations')).body).toEqual({
      locations: s.fixture.locations.map((code) => ({ code, ...location })),
    })
    expect((await read('E-1', '/api/handheld/locations')).body).toEqual({ locations: [{ code: 'L-1', ...location }] })

    const viewer = (url: string) => hub().inject({ url, headers: bearer(s.fixture.keys.viewer) })
    expect((await viewer('/api/handheld/receiving')).json()).toMatchObject({ status: 400, code: 'SITE_REQUIRED' })
    const asKey = await viewer(`/api/handheld/receiving?site=${SITE}`)
    expect(asKey.json()).toEqual((await read('D-1', '/api/handheld/receiving')).body)
    expect((await viewer(`/api/handheld/me`)).json()).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' })
  })
})

describe('what a device is refused', () => {
  it("another site's data: named in the query, or an order of that site", async () => {
    expect(await read('D-1', `/api/handheld/receiving?site=${OTHER}`)).toMatchObject(refusal(403, 'FORBIDDEN_SITE'))
    expect(await read('E-1', `/api/handheld/orders/${orderId}`)).toMatchObject(refusal(403, 'FORBIDDEN_SITE'))
  })

  it('a request signed for another path, an unknown device, a stale or malformed one', async () => {
    const me = '/api/handheld/me'
    expect(await read('D-1', `/api/handheld/receiving?site=${OTHER}`, { signedPath: '/api/handheld/receiving' })).toMatchObject(
      refusal(401, 'BAD_SIGNATURE'),
    )
    expect(await read('D-1', me, { method: 'HEAD', signedPath: me })).toMatchObject({ status: 200 })
    const unknown = await read('NOPE-1', me)
    expect(unknown).toMatchObject(refusal(401, 'UNKNOWN_DEVICE'))
    expect(unknown.headers['www-authenticate']).toMatch(/^WH-Device realm=/)
    for (const off of [-6, 6]) expect(await read('D-1', me, { at: Date.now() + off * 60_000 })).toMatchObject(refusal(401, 'STALE_REQUEST'))
    expect(await read('D-1', me, { at: Date.now() - 4 * 60_000 })).toMatchObject({ status: 200 })
    const malformed = await hub().inject({ url: me, headers: { authorization: `WH-Device D-1:soon:${'0'.repeat(64)}` } })
    expect(malformed.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' })
  })

  it('a rotated secret (BAD_SIGNATURE) and a disabled device (DEVICE_DISABLED), at once on the hub that changed it', async () => {
    const me = '/api/handheld/me'
    const rotated = await po.api('POST', '/api/devices/D-2/rotate', {})
    expect(rotated.status).toBe(200)
    const secret = (rotated.body as { secret: string }).secret
    expect(await read('D-2', me)).toMatchObject(refusal(401, 'BAD_SIGNATURE'))
    expect(await read('D-2', me, { secret })).toMatchObject({ status: 200, body: { deviceId: 'D-2' } })
    expect((await po.api('POST', '/api/devices/D-2/disable', {})).status).toBe(200)
    expect(await read('D-2', me, { secret })).toMatchObject(refusal(403, 'DEVICE_DISABLED'))
    // Only the secret's holder learns the device is disabled.
    expect(await read('D-2', me)).toMatchObject(refusal(401, 'BAD_SIGNATURE'))
    expect((await po.api('POST', '/api/devices/D-2/enable', {})).status).toBe(200)
    expect(await read('D-2', me, { secret })).toMatchObject({ status: 200 })
  })

  it('every route but the handheld ones, every change among them, writing nothing', async () => {
    const before = await footprint()
    expect(await read('D-1', `/api/inventory?site=${SITE}`)).toMatchObject(refusal(403, 'FORBIDDEN_ROLE'))
    expect(await read('D-1', `/api/inventory/P-1/lots?site=${SITE}`)).toMatchObject(refusal(403, 'FORBIDDEN_ROLE'))
    expect(await read('D-1', '/api/keys/self')).toMatchObject(refusal(403, 'FORBIDDEN_ROLE'))
    // Signing in and a floor screen asking to be paired need no caller: nothing a device could be refused.
    const PUBLIC = new Set(['POST /api/session', 'POST /api/screen-pairings', 'POST /api/screen-pairings/claim'])
    const changes = everyChange(hub()).filter((r) => !PUBLIC.has(`${r.method} ${r.url}`))
    expect(changes.length).toBeGreaterThan(50)
    const answers = await Promise.all(
      changes.map(async (r) => {
        const { status, body } = await read('D-1', r.url, { method: r.method as 'POST', payload: {} })
        return `${r.method} ${r.url}: ${status} ${String(body?.code)}`
      }),
    )
    expect(answers.filter((a) => !a.endsWith(': 403 FORBIDDEN_ROLE'))).toEqual([])
    expect(await footprint()).toEqual(before)
  })

  it('refused requests count against the address, as refused keys do', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await deviceRequest(s.hubs[1]!, 'NOPE-2', '/api/handheld/me')).status)
    expect(statuses).toContain(429)
    expect(statuses.slice(statuses.indexOf(429))).toEqual(statuses.slice(statuses.indexOf(429)).map(() => 429))
  })
})
