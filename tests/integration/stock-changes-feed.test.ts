import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  type ChangesCursorExpired,
  type InventoryPage,
  type IssuedApiKey,
  type StockChangesPage,
  type StockChangesResume,
} from '@wh/shared'
import { createChangeLog } from '../../hub/src/stock/change-log.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { SITE2, SITES, useTwoSites } from '../helpers/two-sites.ts'

const { s, hub, api, devices, scan, ordering, reconcile } = useTwoSites('feed', 4)
const [P1, P2, P3] = ['P-1', 'P-2', 'P-3']

/** Per SKU, the site's on hand and available as the database has them (SKUs never stocked there left out). */
async function truth(site: string): Promise<Record<string, { onHand: number; available: number }>> {
  const stock = await s.inspect.siteStock(site)
  return Object.fromEntries(Object.entries(stock).map(([sku, p]) => [sku, { onHand: p.onHand, available: p.available }]))
}

interface Followed {
  figures: Record<string, { onHand: number; available: number; seq: number }>
  cursor: number
  pages: number
}

/** Follows the feed page by page from `after` until it says no more, as a poller would, checking each page's shape. */
async function follow(site: string, after: number, limit: number, key = s.fixture.keys.viewer, into?: Followed): Promise<Followed> {
  const state = into ?? { figures: {}, cursor: after, pages: 0 }
  for (;;) {
    const res = await api(`/api/stock/changes?site=${site}&after=${state.cursor}&limit=${limit}`, key)
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json<StockChangesPage>()
    expect(page.site).toBe(site)
    expect(page.items.length).toBeLessThanOrEqual(limit)
    expect(new Set(page.items.map((i) => i.sku)).size).toBe(page.items.length)
    expect(page.next).toBeGreaterThanOrEqual(state.cursor)
    for (const item of page.items) {
      expect(item.seq).toBeGreaterThan(state.cursor)
      expect(item.seq).toBeLessThanOrEqual(page.next)
      // Keep the highest seq per SKU: a figure never goes back.
      const held = state.figures[item.sku]
      if (!held || held.seq <= item.seq) state.figures[item.sku] = { onHand: item.onHand, available: item.available, seq: item.seq }
    }
    state.cursor = page.next
    state.pages++
    if (!page.more) return state
  }
}

const figuresOnly = (followed: Followed) =>
  Object.fromEntries(Object.entries(followed.figures).map(([sku, f]) => [sku, { onHand: f.onHand, available: f.available }]))

/** A site's stock as GET /api/inventory lists it, per SKU with stock. */
async function inventory(site: string) {
  const page = (await api(`/api/inventory?site=${site}&includeInactive=true&limit=500`)).json<InventoryPage>()
  return Object.fromEntries(
    page.items.filter((i) => i.onHand !== 0 || i.reserved !== 0).map((i) => [i.sku, { onHand: i.onHand, available: i.available }]),
  )
}

describe('the changes feed', () => {
  it('replayed from seq 0 page by page, ends at the database per site, and at GET /api/inventory', async () => {
    const site1Device = devices.site1
    await Promise.all([
      scan(site1Device, [
        { type: 'receive', barcode: P1, location: 'L-1', qty: 10 },
        { type: 'receive', barcode: P1, location: 'SHIP-1', qty: 7 },
        { type: 'receive', barcode: P2, location: 'L-2', qty: 4 },
        { type: 'receive', barcode: P3, location: 'L-1', qty: 9 },
      ]),
      scan(devices.site2, [
        { type: 'receive', barcode: P1, location: 'L-1', qty: 3 },
        { type: 'receive', barcode: P2, location: 'L-2', qty: 6 },
      ]),
    ])
    const client = await ordering()
    const [, , kept, dropped, other] = await Promise.all([
      scan(site1Device, [{ type: 'move', barcode: P1, location: 'L-1', toLocation: 'SHIP-1', qty: 2 }]),
      scan(devices.site2, [{ type: 'pick', barcode: P2, location: 'L-2', qty: 1 }]),
      client.reserve({ site: SITE, lines: [{ sku: P1, qty: 3 }] }),
      client.reserve({ site: SITE, lines: [{ sku: P3, qty: 4 }] }),
      client.reserve({ site: SITE2, lines: [{ sku: P2, qty: 2 }] }),
    ])
    if (!kept.ok || !dropped.ok || !other.ok) throw new Error('a reservation was refused')
    await client.confirm(kept.order.orderId)
    await client.cancel(dropped.order.orderId)
    // Drift at site 2 that reconciliation corrects through the stock core, a change like any other.
    await s.inspect.db.query(
      `UPDATE stock_levels SET on_hand = on_hand + 5 WHERE product_id = (SELECT id FROM products WHERE sku = ?)
         AND location_id = (SELECT id FROM locations WHERE site = ? AND code = 'L-1')`,
      [P1, SITE2],
    )
    expect((await reconcile(false)).discrepancies).toBeGreaterThan(0)

    const want: Record<string, Awaited<ReturnType<typeof truth>>> = { [SITE]: await truth(SITE), [SITE2]: await truth(SITE2) }
    expect(want[SITE]).toEqual({
      [P1]: { onHand: 17, available: 5 },
      [P2]: { onHand: 4, available: 4 },
      [P3]: { onHand: 9, available: 9 },
    })
    expect(want[SITE2]).toEqual({ [P1]: { onHand: 3, available: 3 }, [P2]: { onHand: 5, available: 3 } })
    for (const site of SITES) {
      // The feed waits for the cache to show each change, so a replay may end short for a moment.
      let replay: Followed | undefined
      await eventually(`the replay of ${site}`, async () => {
        replay = await follow(site, 0, site === SITE ? 2 : 1)
        return isDeepStrictEqual(figuresOnly(replay), want[site])
      })
      // Paged by fewer SKUs than the site has, each site's replay took more than one page.
      expect(replay!.pages).toBeGreaterThan(1)
      expect(await inventory(site)).toEqual(want[site])
      // Caught up: the cursor stays put and the page is empty.
      const after = await api(`/api/stock/changes?site=${site}&after=${replay!.cursor}`, s.fixture.keys.viewer)
      expect(after.json<StockChangesPage>()).toEqual({ site, items: [], next: replay!.cursor, more: false })
    }
  })

  it('a page holds at most `limit` SKUs and `next` reads on from where it stopped', async () => {
    const first = (await api(`/api/stock/changes?site=${SITE}&after=0&limit=1`, s.fixture.keys.viewer)).json<StockChangesPage>()
    expect(first.items).toHaveLength(1)
    expect(first.more).toBe(true)
    const second = (
      await api(`/api/stock/changes?site=${SITE}&after=${first.next}&limit=1`, s.fixture.keys.viewer)
    ).json<StockChangesPage>()
    expect(second.items).toHaveLength(1)
    expect(second.items[0]!.sku).not.toBe(first.items[0]!.sku)
    expect(second.items[0]!.seq).toBeGreaterThan(first.next)
  })

  it('refuses a bad cursor, an unknown site, a metrics key, and another site to a limited key', async () => {
    const problem = async (url: string, key = s.fixture.keys.viewer) => {
      const res = await api(url, key)
      return { status: res.statusCode, code: res.json<{ code: string }>().code }
    }
    expect(await problem(`/api/stock/changes?site=${SITE}&after=-1`)).toEqual({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await problem(`/api/stock/changes?site=${SITE}&after=x1`)).toEqual({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await problem(`/api/stock/changes?site=${SITE}`)).toEqual({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await problem(`/api/stock/changes?site=${SITE}&after=999999999`)).toEqual({ status: 400, code: 'CHANGES_CURSOR_AHEAD' })
    expect(await problem(`/api/stock/changes?site=nowhere&after=0`)).toEqual({ status: 404, code: 'NOT_FOUND' })
    expect(await problem(`/api/stock/changes?after=0`)).toEqual({ status: 400, code: 'SITE_REQUIRED' })
    expect(await problem(`/api/stock/changes?site=${SITE}&after=0`, s.fixture.keys.metrics)).toEqual({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    })

    const limited = (
      await api('/api/keys', s.fixture.keys.admin, 'POST', { name: `feed-${randomUUID().slice(0, 8)}`, role: 'viewer', sites: [SITE] })
    ).json<IssuedApiKey>().key
    expect(await problem(`/api/stock/changes?site=${SITE2}&after=0`, limited)).toEqual({ status: 403, code: 'FORBIDDEN_SITE' })
    expect(await problem(`/api/stock/changes/resume-point?site=${SITE2}`, limited)).toEqual({ status: 403, code: 'FORBIDDEN_SITE' })
    // Its one site is the default.
    const own = await api('/api/stock/changes?after=0&limit=500', limited)
    expect(own.statusCode).toBe(200)
    expect(own.json<StockChangesPage>().site).toBe(SITE)
  })

  it('a cursor the log no longer keeps gets 410 with the snapshot to take and where to follow on', async () => {
    const before = await follow(SITE, 0, 500)
    // Everything so far pruned, as the hourly job would after STOCK_CHANGES_KEEP_HOURS.
    expect(await createChangeLog(hub().services.database.pool).prune(0, Number.MAX_SAFE_INTEGER)).toBeGreaterThan(0)

    const stale = await api(`/api/stock/changes?site=${SITE}&after=0`, s.fixture.keys.viewer)
    expect(stale.statusCode).toBe(410)
    expect(stale.headers['content-type']).toContain('application/problem+json')
    const problem = stale.json<ChangesCursorExpired>()
    expect(problem.code).toBe('CHANGES_CURSOR_EXPIRED')
    const [hint] = problem.details
    expect(hint).toMatchObject({ snapshot: `/api/inventory?site=${SITE}` })
    expect(hint!.horizon).toBeGreaterThanOrEqual(before.cursor)
    expect(hint!.resumeAfter).toBeGreaterThanOrEqual(hint!.horizon)
    // The cursor at the horizon is still good: nothing after it was pruned.
    expect((await api(`/api/stock/changes?site=${SITE}&after=${hint!.horizon}`, s.fixture.keys.viewer)).statusCode).toBe(200)

    // Snapshot then follow: a change after the hint, the snapshot, then the feed from resumeAfter.
    await scan(s.devices[0]!, [{ type: 'receive', barcode: P2, location: 'L-1', qty: 11 }])
    const snapshot = await inventory(SITE)
    const state: Followed = { figures: {}, cursor: hint!.resumeAfter, pages: 0 }
    for (const [sku, f] of Object.entries(snapshot)) state.figures[sku] = { ...f, seq: hint!.resumeAfter }
    const want = await truth(SITE)
    await eventually('the follower to catch up', async () => {
      await follow(SITE, state.cursor, 500, s.fixture.keys.viewer, state)
      return isDeepStrictEqual(figuresOnly(state), want)
    })
    expect(want[P2]).toEqual({ onHand: 15, available: 15 })

    // A new follower asks where to start instead.
    const resume = (await api(`/api/stock/changes/resume-point?site=${SITE}`, s.fixture.keys.viewer)).json<StockChangesResume>()
    expect(resume).toEqual({ site: SITE, resumeAfter: expect.any(Number) })
    expect(resume.resumeAfter).toBeGreaterThanOrEqual(state.cursor)
  })
})
