import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { gs1CheckDigit, type Ack, type IssuedApiKey, type ProductInfo, type ScanEvent } from '@wh/shared'
import { bearer, gtinFor, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('catalog', { products: 2, locations: 2, devices: 1 })

const call = (key: string) => (method: string, url: string, payload?: object) =>
  s.hubs[0]!.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload ? { payload } : {}) })
const admin = (method: string, url: string, payload?: object) => call(s.fixture.keys.admin)(method, url, payload)

/** A GTIN-14 of a pack of the item `gtinFor(n)` names: the same digits under another indicator. */
const packGtin = (n: number, indicator: number) => {
  const body = `${indicator}${gtinFor(n).slice(1, 13)}`
  return `${body}${gs1CheckDigit(body)}`
}

const auditRows = (entity: string, entityId: string) =>
  s.inspect.rows<{ action: string; actor: string; before: string | null; after: string | null }>(
    'SELECT action, actor, `before`, `after` FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id',
    [entity, entityId],
  )
const count = async (sql: string, params: unknown[] = []) => Number((await s.inspect.rows<{ n: number }>(sql, params))[0]!.n)

async function scan(event: ScanEvent): Promise<Ack> {
  const device = s.devices[0]!
  await device.publish(event)
  await device.waitFor(() => device.acksFor(event.eventId).length > 0)
  return device.acksFor(event.eventId)[0]!
}

describe('the catalog API: sites, locations and products an admin keeps', () => {
  it('creates a site, its locations and a product with case GTINs, each audited under the key name', async () => {
    const site = await admin('POST', '/api/sites', { code: 'north', name: 'North DC' })
    expect(site.statusCode).toBe(201)
    expect(site.json()).toMatchObject({ code: 'north', name: 'North DC', active: true })
    expect((await admin('POST', '/api/sites', { code: 'north', name: 'Again' })).json()).toMatchObject({ status: 409, code: 'SITE_EXISTS' })

    expect((await admin('POST', '/api/sites/north/locations', { code: 'A-01', zone: 'pick' })).json()).toEqual({
      site: 'north',
      code: 'A-01',
      zone: 'pick',
      pickable: true,
      reservable: true,
      active: true,
    })
    const lane = { code: 'SHIP', zone: 'shipping', pickable: false, reservable: false }
    expect((await admin('POST', '/api/sites/north/locations', lane)).statusCode).toBe(201)
    expect((await admin('POST', '/api/sites/north/locations', lane)).json()).toMatchObject({ status: 409, code: 'LOCATION_EXISTS' })
    expect((await admin('POST', '/api/sites/nowhere/locations', lane)).json()).toMatchObject({ status: 404, code: 'SITE_NOT_FOUND' })
    const listed = (await admin('GET', '/api/sites/north/locations')).json()
    expect(listed.locations.map((l: { code: string }) => l.code)).toEqual(['A-01', 'SHIP'])

    const created = await admin('POST', '/api/products', {
      sku: 'CAT-1',
      name: 'Widget',
      reorderThreshold: 5,
      siteThresholds: { north: 10 },
      // The unit as a GTIN-13, a case of 12 and an inner pack of 6, in no order.
      gtins: [
        { gtin: gtinFor(101).slice(1), qty: 1 },
        { gtin: packGtin(101, 2), qty: 12 },
        { gtin: packGtin(101, 1), qty: 6 },
      ],
    })
    expect(created.statusCode).toBe(201)
    const product: ProductInfo = created.json()
    expect(product).toMatchObject({
      sku: 'CAT-1',
      name: 'Widget',
      unit: 'ea',
      reorderThreshold: 5,
      siteThresholds: { north: 10 },
      active: true,
    })
    expect(product.gtins).toEqual([
      { gtin: gtinFor(101), qty: 1 },
      { gtin: packGtin(101, 1), qty: 6 },
      { gtin: packGtin(101, 2), qty: 12 },
    ])
    expect((await admin('GET', '/api/products/CAT-1')).json()).toEqual(product)
    for (const q of ['widg', 'cat-', packGtin(101, 2), gtinFor(101).slice(1)]) {
      const page = (await admin('GET', `/api/products?q=${q}`)).json()
      expect(
        page.items.map((p: ProductInfo) => p.sku),
        q,
      ).toEqual(['CAT-1'])
    }
    // The handheld's catalog carries every pack of the product.
    const handheld = (await admin('GET', `/api/catalog?site=${SITE}`)).json()
    expect(handheld.products.find((p: { sku: string }) => p.sku === 'CAT-1').gtins).toEqual(product.gtins)

    const audits = [
      ...(await auditRows('site', 'north')),
      ...(await auditRows('location', 'north/A-01')),
      ...(await auditRows('location', 'north/SHIP')),
      ...(await auditRows('product', 'CAT-1')),
    ]
    expect(audits.map((a) => [a.action, a.actor])).toEqual(Array(4).fill(['create', 'test-admin']))
    expect(JSON.parse(audits[3]!.after!)).toMatchObject({ sku: 'CAT-1', gtins: product.gtins, siteThresholds: { north: 10 } })
  })

  it('refuses a taken SKU or GTIN, a bad check digit and an unknown site, writing nothing', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM audit_log')
    const products = await count('SELECT COUNT(*) AS n FROM products')

    const sku = await admin('POST', '/api/products', { sku: 'P-1', name: 'Twin' })
    expect(sku.json()).toMatchObject({ status: 409, code: 'SKU_TAKEN', detail: 'P-1' })

    const gtin = await admin('POST', '/api/products', { sku: 'CAT-2', name: 'Thief', gtins: [{ gtin: s.fixture.gtins[1]!, qty: 1 }] })
    expect(gtin.statusCode).toBe(409)
    expect(gtin.json()).toMatchObject({ code: 'GTIN_TAKEN', detail: `${s.fixture.gtins[1]} is on product P-2` })

    const wrong = `${gtinFor(102).slice(0, 13)}${(Number(gtinFor(102).at(-1)) + 1) % 10}`
    const digit = await admin('POST', '/api/products', {
      sku: 'CAT-2',
      name: 'Typo',
      gtins: [
        { gtin: gtinFor(102), qty: 1 },
        { gtin: wrong, qty: 12 },
      ],
    })
    expect(digit.statusCode).toBe(400)
    expect(digit.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: '/body/gtins/1/gtin', reason: `has a wrong check digit (it should end in ${gtinFor(102).at(-1)})` }],
    })

    const twice = await admin('POST', '/api/products', {
      sku: 'CAT-2',
      name: 'Twice',
      gtins: [
        { gtin: gtinFor(102), qty: 1 },
        { gtin: gtinFor(102).slice(1), qty: 6 },
      ],
    })
    expect(twice.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: '/body/gtins/1/gtin' }] })

    const site = await admin('POST', '/api/products', { sku: 'CAT-2', name: 'Lost', siteThresholds: { atlantis: 3 } })
    expect(site.json()).toMatchObject({ status: 422, code: 'UNKNOWN_SITE', details: [{ field: '/body/siteThresholds/atlantis' }] })

    // Taking a GTIN from another product by update is refused the same way, and changes nothing.
    const steal = await admin('PATCH', '/api/products/P-1', { name: 'Renamed', gtins: [{ gtin: s.fixture.gtins[1]!, qty: 1 }] })
    expect(steal.json()).toMatchObject({ status: 409, code: 'GTIN_TAKEN' })
    expect((await admin('GET', '/api/products/P-1')).json()).toMatchObject({ name: 'Product P-1', gtins: [{ gtin: s.fixture.gtins[0] }] })

    expect(await count('SELECT COUNT(*) AS n FROM products')).toBe(products)
    expect(await count('SELECT COUNT(*) AS n FROM audit_log')).toBe(before)
  })

  it('deactivates a product and a location: their scans are refused at once, and they stay readable', async () => {
    const device = s.devices[0]!
    const [location, other] = s.fixture.locations as [string, string]
    expect((await scan(device.event({ type: 'receive', barcode: 'P-1', location, qty: 4 }))).status).toBe('applied')

    const off = await admin('PATCH', '/api/products/P-1', { active: false })
    expect(off.json()).toMatchObject({ sku: 'P-1', active: false })
    // The lookup had the product cached as active; the change on this hub drops it at once.
    expect(await scan(device.event({ type: 'receive', barcode: 'P-1', location, qty: 1 }))).toMatchObject({
      status: 'rejected',
      code: 'PRODUCT_INACTIVE',
    })
    expect(await scan(device.event({ type: 'receive', barcode: s.fixture.gtins[0]!, location, qty: 1 }))).toMatchObject({
      code: 'PRODUCT_INACTIVE',
    })
    expect((await admin('GET', '/api/products/P-1')).json()).toMatchObject({ active: false })
    // Nor can an order reserve it, though its stock is still on the shelf.
    const order = await s.hubs[0]!.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { ...bearer(s.fixture.keys.orders), 'idempotency-key': 'order-inactive-1' },
      payload: { site: SITE, lines: [{ sku: 'P-1', qty: 1 }] },
    })
    expect(order.json()).toMatchObject({ status: 422, code: 'PRODUCT_INACTIVE' })
    expect((await admin('GET', '/api/products?active=false')).json().items.map((p: ProductInfo) => p.sku)).toEqual(['P-1'])
    const [deactivated] = await auditRows('product', 'P-1')
    expect(deactivated).toMatchObject({ action: 'deactivate', actor: 'test-admin' })
    expect([JSON.parse(deactivated!.before!).active, JSON.parse(deactivated!.after!).active]).toEqual([true, false])

    expect((await admin('PATCH', '/api/products/P-1', { active: true })).json()).toMatchObject({ active: true })
    expect((await scan(device.event({ type: 'receive', barcode: 'P-1', location, qty: 1 }))).status).toBe('applied')

    const closed = await admin('PATCH', `/api/sites/${SITE}/locations/${other}`, { active: false })
    expect(closed.json()).toMatchObject({ code: other, active: false })
    expect(await scan(device.event({ type: 'receive', barcode: 'P-2', location: other, qty: 1 }))).toMatchObject({
      code: 'LOCATION_INACTIVE',
    })
    expect(await scan(device.event({ type: 'move', barcode: 'P-1', location, toLocation: other, qty: 1 }))).toMatchObject({
      code: 'LOCATION_INACTIVE',
    })
    expect((await admin('PATCH', `/api/sites/${SITE}/locations/${other}`, { active: true })).statusCode).toBe(200)
    expect((await auditRows('location', `${SITE}/${other}`)).map((a) => a.action)).toEqual(['deactivate', 'reactivate'])

    // A deactivated site's locations take no stock either.
    expect((await admin('PATCH', `/api/sites/${SITE}`, { active: false })).json()).toMatchObject({ active: false })
    expect(await scan(device.event({ type: 'receive', barcode: 'P-1', location, qty: 1 }))).toMatchObject({ code: 'LOCATION_INACTIVE' })
    expect((await admin('PATCH', `/api/sites/${SITE}`, { active: true })).statusCode).toBe(200)
    expect((await scan(device.event({ type: 'receive', barcode: 'P-1', location, qty: 1 }))).status).toBe('applied')
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it("counts a location's stock as available only while it is reservable and active, from the moment it changes", async () => {
    const device = s.devices[0]!
    const [location] = s.fixture.locations as [string]
    expect((await admin('POST', '/api/products', { sku: 'P-AV', name: 'Shelf stock' })).statusCode).toBe(201)
    expect((await scan(device.event({ type: 'receive', barcode: 'P-AV', location, qty: 9 }))).status).toBe('applied')
    const check = async () =>
      (
        await s.hubs[0]!.inject({
          method: 'POST',
          url: '/api/stock/check',
          headers: bearer(s.fixture.keys.orders),
          payload: { site: SITE, items: [{ sku: 'P-AV', qty: 1 }] },
        })
      ).json().items[0].available
    expect(await check()).toBe(9)

    await admin('PATCH', `/api/sites/${SITE}/locations/${location}`, { reservable: false })
    expect(await check()).toBe(0)
    expect(await s.inspect.cache.read(SITE, 'P-AV')).toMatchObject({ onHand: 9, available: 0, locations: { [location]: { available: 0 } } })
    await admin('PATCH', `/api/sites/${SITE}/locations/${location}`, { reservable: true, active: false })
    expect(await check()).toBe(0)
    await admin('PATCH', `/api/sites/${SITE}/locations/${location}`, { active: true })
    expect(await check()).toBe(9)
    // The republished levels match the database: reconciliation finds nothing to correct.
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('merges site thresholds and replaces GTINs on update, audited with before and after', async () => {
    const patched = await admin('PATCH', '/api/products/CAT-1', {
      siteThresholds: { north: null, [SITE]: 3 },
      gtins: [{ gtin: gtinFor(101), qty: 1 }],
      unit: 'box',
    })
    expect(patched.json()).toMatchObject({ unit: 'box', siteThresholds: { [SITE]: 3 }, gtins: [{ gtin: gtinFor(101), qty: 1 }] })
    const [, update] = await auditRows('product', 'CAT-1')
    expect(update).toMatchObject({ action: 'update', actor: 'test-admin' })
    expect(JSON.parse(update!.before!)).toMatchObject({ unit: 'ea', siteThresholds: { north: 10 } })
    // The case GTIN it gave up is free for another product.
    const other = await admin('POST', '/api/products', { sku: 'CAT-3', name: 'Case', gtins: [{ gtin: packGtin(101, 2), qty: 12 }] })
    expect(other.statusCode).toBe(201)
    // A change to what it already is writes nothing.
    expect((await admin('PATCH', '/api/products/CAT-1', { unit: 'box' })).statusCode).toBe(200)
    expect(await auditRows('product', 'CAT-1')).toHaveLength(2)
  })

  it('deletes only what nothing references, and says what does', async () => {
    const inUse = await admin('DELETE', '/api/products/P-1')
    expect(inUse.statusCode).toBe(409)
    expect(inUse.json()).toMatchObject({
      code: 'IN_USE',
      detail: expect.stringMatching(/^product P-1 is referenced by the ledger \(stock movements\), stock levels/),
      details: expect.arrayContaining([{ referencedBy: 'the ledger (stock movements)' }]),
    })
    const location = await admin('DELETE', `/api/sites/${SITE}/locations/${s.fixture.locations[0]}`)
    expect(location.json()).toMatchObject({ status: 409, code: 'IN_USE' })
    expect((await admin('DELETE', `/api/sites/${SITE}`)).json()).toMatchObject({
      code: 'IN_USE',
      detail: expect.stringMatching(/locations, devices/),
    })

    const gone = await admin('DELETE', '/api/products/CAT-3')
    expect(gone.json()).toMatchObject({ sku: 'CAT-3' })
    expect((await admin('GET', '/api/products/CAT-3')).json()).toMatchObject({ status: 404, code: 'PRODUCT_NOT_FOUND' })
    expect(await count('SELECT COUNT(*) AS n FROM product_gtins WHERE gtin = ?', [packGtin(101, 2)])).toBe(0)
    expect((await auditRows('product', 'CAT-3')).map((a) => [a.action, a.actor])).toEqual([
      ['create', 'test-admin'],
      ['delete', 'test-admin'],
    ])

    // A site goes once its locations and the thresholds naming it are gone.
    expect((await admin('DELETE', '/api/sites/north')).json()).toMatchObject({ code: 'IN_USE' })
    for (const code of ['A-01', 'SHIP']) expect((await admin('DELETE', `/api/sites/north/locations/${code}`)).statusCode).toBe(200)
    expect((await admin('DELETE', '/api/sites/north')).statusCode).toBe(200)
    expect((await admin('GET', '/api/sites/north/locations')).statusCode).toBe(404)
  })

  it('refuses a location at a deactivated site', async () => {
    expect((await admin('POST', '/api/sites', { code: 'south', name: 'South', active: false })).statusCode).toBe(201)
    expect((await admin('POST', '/api/sites/south/locations', { code: 'B-01' })).json()).toMatchObject({
      status: 409,
      code: 'SITE_INACTIVE',
    })
    expect((await admin('PATCH', '/api/sites/south', { active: true })).json()).toMatchObject({ active: true })
    expect((await admin('POST', '/api/sites/south/locations', { code: 'B-01' })).statusCode).toBe(201)
    expect((await auditRows('site', 'south')).map((a) => a.action)).toEqual(['create', 'reactivate'])
  })

  it('shows a site-limited viewer only its sites, and lets it change nothing', async () => {
    const issued = await admin('POST', '/api/keys', { name: 'site-viewer', role: 'viewer', sites: [SITE] })
    const viewer = call(issued.json<IssuedApiKey>().key)
    expect((await viewer('GET', '/api/sites')).json().sites.map((x: { code: string }) => x.code)).toEqual([SITE])
    expect((await viewer('GET', '/api/sites/south/locations')).json()).toMatchObject({ status: 403, code: 'FORBIDDEN_SITE' })
    expect((await viewer('GET', `/api/sites/${SITE}/locations`)).statusCode).toBe(200)
    await admin('PATCH', '/api/products/CAT-1', { siteThresholds: { south: 7 } })
    expect((await viewer('GET', '/api/products/CAT-1')).json().siteThresholds).toEqual({ [SITE]: 3 })
    expect((await call(s.fixture.keys.viewer)('GET', '/api/products/CAT-1')).json().siteThresholds).toEqual({ [SITE]: 3, south: 7 })
    expect((await viewer('POST', '/api/sites', { code: 'x', name: 'X' })).json()).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' })
    expect((await call(s.fixture.keys.orders)('DELETE', '/api/products/CAT-1')).statusCode).toBe(403)
  })
})

describe('npm run catalog', () => {
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'hub/src/cli/catalog.ts', ...args], {
      env: { ...process.env, ...s.env.processEnv({ LOG_LEVEL: 'error' }) },
    }).then(
      ({ stdout }) => ({ code: 0, out: stdout, err: '' }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout, err: err.stderr }),
    )

  it('adds a site, a location and a product with a case GTIN through the same service, audited under --actor', async () => {
    expect(await cli('site', 'add', 'east', '--name', 'East DC', '--actor', 'ana')).toMatchObject({ code: 0, out: 'east  East DC\n' })
    expect((await cli('location', 'add', 'east', 'C-01', '--zone', 'pick', '--actor', 'ana')).code).toBe(0)
    const added = await cli(
      'product',
      'add',
      'CLI-1',
      '--name',
      'Bolt',
      '--gtin',
      `${gtinFor(103)}`,
      '--gtin',
      `${packGtin(103, 1)}:24`,
      '--json',
    )
    expect(JSON.parse(added.out)).toMatchObject({ sku: 'CLI-1', gtins: [{ qty: 1 }, { gtin: packGtin(103, 1), qty: 24 }] })
    expect((await cli('gtin', 'remove', 'CLI-1', packGtin(103, 1))).code).toBe(0)
    expect((await cli('product', 'list', '--search', 'bolt')).out).toBe(`CLI-1  Bolt  (ea)  reorder at 0  ${gtinFor(103)}×1\n`)

    const refused = await cli('product', 'add', 'CLI-2', '--name', 'Dup', '--gtin', gtinFor(103))
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('GTIN_TAKEN')
    expect((await cli('site', 'frobnicate')).code).toBe(2)

    expect((await auditRows('site', 'east')).map((a) => a.actor)).toEqual(['ana'])
    expect((await auditRows('product', 'CLI-1')).map((a) => [a.action, a.actor])).toEqual([
      ['create', 'cli'],
      ['update', 'cli'],
    ])
  })
})
