import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type HistoryPage, type InventoryAsOf, type InventoryItem, type InventoryPage, type RunPage, type IssuedApiKey } from '@wh/shared'
import type { ProductStock } from '@wh/shared/live'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { SITE2, SITES, useTwoSites } from '../helpers/two-sites.ts'

const { s, hub, api, devices, scan, ordering, reconcile } = useTwoSites('twosites', 3)
const [P1, P2] = ['P-1', 'P-2']

/** A product's stock at a site as the database has it, in the live cache's shape. */
async function truth(site: string, sku: string): Promise<ProductStock> {
  const stock = (await s.inspect.siteStock(site))[sku] ?? { onHand: 0, reserved: 0, available: 0, locations: {} }
  return { site, sku, ...stock }
}

describe('two sites that share location codes', () => {
  it('scanned and ordered at once, every read path keeps them apart and equals the database', async () => {
    const site1Device = devices.site1
    await Promise.all([
      scan(site1Device, [
        { type: 'receive', barcode: P1, location: 'L-1', qty: 10 },
        { type: 'receive', barcode: P1, location: 'L-2', qty: 5 },
        { type: 'receive', barcode: P1, location: 'SHIP-1', qty: 7 },
        { type: 'receive', barcode: P2, location: 'L-1', qty: 4 },
      ]),
      scan(devices.site2, [
        { type: 'receive', barcode: P1, location: 'L-1', qty: 3 },
        { type: 'receive', barcode: P1, location: 'SHIP-1', qty: 20 },
        { type: 'receive', barcode: P2, location: 'L-2', qty: 6 },
      ]),
    ])
    const client = await ordering()
    const [, , site1Order, site2Order] = await Promise.all([
      scan(site1Device, [{ type: 'move', barcode: P1, location: 'L-1', toLocation: 'SHIP-1', qty: 2 }]),
      scan(devices.site2, [{ type: 'pick', barcode: P2, location: 'L-2', qty: 1 }]),
      client.reserve({ site: SITE, lines: [{ sku: P1, qty: 3 }] }),
      client.reserve({ site: SITE2, lines: [{ sku: P1, qty: 3 }] }),
    ])
    expect([site1Order.ok, site2Order.ok]).toEqual([true, true])

    // The figures each site should show: the shipping lane is on hand but never available.
    expect(await truth(SITE, P1)).toMatchObject({
      onHand: 22,
      reserved: 3,
      available: 10,
      locations: { 'SHIP-1': { onHand: 9, available: 0 } },
    })
    expect(await truth(SITE2, P1)).toMatchObject({
      onHand: 23,
      reserved: 3,
      available: 0,
      locations: { 'SHIP-1': { onHand: 20, available: 0 } },
    })
    expect(await truth(SITE2, P2)).toMatchObject({ onHand: 5, locations: { 'L-2': { onHand: 5 } } })

    // The live cache, per (site, sku).
    const cache = hub().services.liveCache
    for (const site of SITES)
      for (const sku of [P1, P2])
        await eventually(`the cache of ${sku} at ${site}`, async () =>
          isDeepStrictEqual(await cache.read(site, sku), await truth(site, sku)),
        )
    const snapshot = await cache.snapshot(SITE2)
    expect(snapshot.data.map((d) => d.site)).toEqual(snapshot.data.map(() => SITE2))

    // GET /api/inventory and /api/inventory/:sku, per site, low by each site's threshold; a
    // deactivated product is listed only when asked for.
    await s.inspect.db.query(`INSERT INTO reorder_thresholds (product_id, site, threshold) SELECT id, ?, 10 FROM products WHERE sku = ?`, [
      SITE2,
      P2,
    ])
    await s.inspect.db.query(`UPDATE products SET active = FALSE WHERE sku = 'P-3'`)
    const lowAt = async (site: string) =>
      (await api(`/api/inventory?site=${site}&low=true`)).json<InventoryPage>().items.map((i) => [i.sku, i.reorderThreshold])
    expect(await lowAt(SITE)).toEqual([])
    expect(await lowAt(SITE2)).toEqual([
      [P1, 0],
      [P2, 10],
    ])
    const withInactive = (await api(`/api/inventory?site=${SITE}&includeInactive=true`)).json<InventoryPage>()
    expect(withInactive.items.map((i) => [i.sku, i.active])).toEqual([
      [P1, true],
      [P2, true],
      ['P-3', false],
    ])
    for (const site of SITES) {
      const page = (await api(`/api/inventory?site=${site}`)).json<InventoryPage>()
      expect(page.site).toBe(site)
      expect(page.items.map((i) => i.sku)).toEqual([P1, P2])
      for (const sku of [P1, P2]) {
        const want = await truth(site, sku)
        const listed = page.items.find((i) => i.sku === sku)!
        const one = (await api(`/api/inventory/${sku}?site=${site}`)).json<InventoryItem>()
        for (const item of [listed, one])
          expect(item).toMatchObject({
            site,
            sku,
            onHand: want.onHand,
            reserved: want.reserved,
            available: want.available,
            locations: want.locations,
          })
      }
    }

    // The stock check says no exactly where the order is refused.
    const check = await client.check({ site: SITE2, items: [{ sku: P1, qty: 1 }] })
    expect(check).toEqual({ site: SITE2, items: [{ sku: P1, requested: 1, available: 0, ok: false }] })
    const refused = await client.reserve({ site: SITE2, lines: [{ sku: P1, qty: 1 }] })
    expect(refused).toMatchObject({ ok: false, shortage: { details: [{ sku: P1, requested: 1, available: 0 }] } })
    const atSite1 = await client.check({
      site: SITE,
      items: [
        { sku: P1, qty: 10 },
        { sku: P1, qty: 11 },
      ],
    })
    expect(atSite1.items.map((i) => [i.available, i.ok])).toEqual([
      [10, true],
      [10, false],
    ])
    expect(await client.reserve({ site: SITE, lines: [{ sku: P1, qty: 11 }] })).toMatchObject({
      ok: false,
      shortage: { details: [{ available: 10 }] },
    })
    const all = await client.reserve({ site: SITE, lines: [{ sku: P1, qty: 10 }] })
    if (!all.ok) throw new Error('the check said yes, the order no')
    expect(all.order.lines[0]!.reservations.map((r) => r.location).sort()).toEqual(['L-1', 'L-2'])
    await client.cancel(all.order.orderId)

    // History: every entry names its site, and one site's L-1 is not the other's.
    const movements = await s.inspect.rows<{ id: number; site: string; code: string }>(
      `SELECT m.id, l.site, l.code FROM stock_movements m JOIN locations l ON l.id = m.location_id
         JOIN products p ON p.id = m.product_id WHERE p.sku = ? ORDER BY m.id DESC`,
      [P1],
    )
    const history = (await api(`/api/inventory/${P1}/history?limit=500`)).json<HistoryPage>()
    expect(history.items.map((m) => [m.id, m.site, m.location])).toEqual(movements.map((m) => [m.id, m.site, m.code]))
    const site2L1 = (await api(`/api/inventory/${P1}/history?site=${SITE2}&location=L-1`)).json<HistoryPage>()
    expect(site2L1.items.map((m) => m.id)).toEqual(movements.filter((m) => m.site === SITE2 && m.code === 'L-1').map((m) => m.id))

    // Stock as of now, from the ledger, per site.
    for (const site of SITES) {
      const asOf = (await api(`/api/inventory/${P1}?site=${site}&at=${encodeURIComponent(new Date().toISOString())}`)).json<InventoryAsOf>()
      const want = await truth(site, P1)
      expect(asOf).toMatchObject({ site, onHand: want.onHand })
      expect(asOf.locations).toEqual(Object.fromEntries(Object.entries(want.locations).map(([code, l]) => [code, { onHand: l.onHand }])))
    }
  })

  it('reconciliation finds nothing, then names only the site where drift is injected', async () => {
    const clean = await reconcile(false)
    expect(clean).toMatchObject({ status: 'done', discrepancies: 0 })

    // Drift at site 2 only, at a code both sites have, and in site 2's cache.
    await s.inspect.db.query(
      `UPDATE stock_levels SET on_hand = on_hand + 4 WHERE product_id = (SELECT id FROM products WHERE sku = ?)
         AND location_id = (SELECT id FROM locations WHERE site = ? AND code = 'L-1')`,
      [P1, SITE2],
    )
    await s.inspect.redis.hSet(hub().services.liveCache.keys.product(SITE2, P2), 'l:L-2', '999:0:99999:1')
    const found = await reconcile(true)
    expect(found.summary!.found.map((f) => `${f.check} ${f.site} ${f.sku}`).sort()).toEqual(
      [`cache ${SITE2} ${P2}`, `ledger ${SITE2} ${P1}`].sort(),
    )
    expect(found.summary!.found.find((f) => f.check === 'ledger')).toMatchObject({ location: 'L-1', found: 7, expected: 3 })

    expect((await reconcile(false)).discrepancies).toBe(2)
    expect((await reconcile(false)).discrepancies).toBe(0)
    for (const site of SITES)
      for (const sku of [P1, P2]) expect(await hub().services.liveCache.read(site, sku)).toEqual(await truth(site, sku))
  })

  it('a key limited to one site sees nothing of the other', async () => {
    const createKey = async (role: 'viewer' | 'orders') =>
      (
        await api('/api/keys', s.fixture.keys.admin, 'POST', { name: `one-site-${randomUUID().slice(0, 8)}`, role, sites: [SITE] })
      ).json<IssuedApiKey>().key
    const viewer = await createKey('viewer')
    const forbidden = { statusCode: 403 }
    const status = async (url: string, key: string) => {
      const res = await api(url, key)
      return { statusCode: res.statusCode, code: res.json<{ code?: string }>().code }
    }

    // Its one site is the default; the other is refused wherever it is named.
    const page = (await api('/api/inventory', viewer)).json<InventoryPage>()
    expect(page.site).toBe(SITE)
    expect(page.items.every((i) => i.site === SITE)).toBe(true)
    expect((await api(`/api/inventory/${P1}`, viewer)).json<InventoryItem>()).toMatchObject({
      site: SITE,
      onHand: (await truth(SITE, P1)).onHand,
    })
    for (const url of [`/api/inventory?site=${SITE2}`, `/api/inventory/${P1}?site=${SITE2}`, `/api/inventory/${P1}/history?site=${SITE2}`])
      expect(await status(url, viewer), url).toEqual({ ...forbidden, code: 'FORBIDDEN_SITE' })
    const history = (await api(`/api/inventory/${P1}/history?limit=500`, viewer)).json<HistoryPage>()
    expect(history.items.length).toBeGreaterThan(0)
    expect(history.items.every((m) => m.site === SITE)).toBe(true)
    // Reconciliation runs: only its site's findings, and the other site refused.
    const runs = (await api('/api/reconciliation/runs', viewer)).json<RunPage>()
    expect(runs.items.flatMap((r) => r.summary?.found ?? []).every((f) => f.site === SITE)).toBe(true)
    expect(await status(`/api/reconciliation/runs?site=${SITE2}`, viewer)).toEqual({ ...forbidden, code: 'FORBIDDEN_SITE' })

    const client = await ordering(await createKey('orders'))
    await expect(client.check({ site: SITE2, items: [{ sku: P1, qty: 1 }] })).rejects.toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN_SITE' },
    })
    expect((await client.check({ site: SITE, items: [{ sku: P1, qty: 1 }] })).items[0]!.ok).toBe(true)

    // A key that may read every site must name one.
    expect(await status('/api/inventory', s.fixture.keys.viewer)).toEqual({ statusCode: 400, code: 'SITE_REQUIRED' })
  })
})
