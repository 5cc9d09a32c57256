import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { LiveCloseCodes, liveProtocols, type ServerMessage } from '@wh/shared/live'
import { createApiKeyStore } from '../../hub/src/auth/api-key-store.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, seedSite, SITE } from '../helpers/fixtures.ts'
import type { SiteProduct } from '../helpers/inspect.ts'
import { useScenario } from '../helpers/scenario.ts'
import { liveUrl, TestScreen } from '../helpers/screen.ts'
import { TestDevice } from '../helpers/test-device.ts'

// Two warehouses that name their locations alike (L-1, L-2), each with a shipping lane (SHIP) where
// stock sits but may not be reserved. Scanned at once, every figure stays per site.
const OTHER = 'site2'
const s = useScenario('sites', { products: 6, locations: 2, devices: 2, hubs: [{ LIVE_HEARTBEAT_MS: 500 }] })
const hub = () => s.hubs[0]!
const others: TestDevice[] = []
const screens: TestScreen[] = []

beforeAll(async () => {
  await seedSite(s.env, { code: SITE, locations: [{ code: 'SHIP', zone: 'shipping', reservable: false }] })
  await seedSite(s.env, {
    code: OTHER,
    locations: [{ code: 'L-1' }, { code: 'L-2' }, { code: 'SHIP', zone: 'shipping', reservable: false }],
    devices: ['E-1', 'E-2'],
  })
  others.push(...(await Promise.all(['E-1', 'E-2'].map((id) => TestDevice.connect(s.env, id, OTHER)))))
  // P-1's low-stock threshold differs at the other site.
  await s.inspect.db.query(
    `INSERT INTO reorder_thresholds (product_id, site, threshold) SELECT id, ?, 50 FROM products WHERE sku = 'P-1'`,
    [OTHER],
  )
})
afterAll(async () => {
  await Promise.all(others.map((d) => d.close()))
})
afterEach(() => screens.splice(0).forEach((x) => x.close()))

const open = async (site: string) => {
  const screen = await TestScreen.open(hub(), { apiKey: s.fixture.keys.viewer, site })
  screens.push(screen)
  return screen
}

/** A device's receipts, each product at each location with its own quantity; resolves with every ack in. */
async function receiveAll(device: TestDevice, qty: (sku: number, location: number) => number) {
  const before = device.acks.length
  const events = s.fixture.skus.flatMap((barcode, i) =>
    ['L-1', 'L-2', 'SHIP'].map((location, j) => device.event({ type: 'receive', barcode, location, qty: qty(i, j) })),
  )
  for (const e of events) await device.publish(e)
  await device.waitFor((acks) => acks.length >= before + events.length, 30_000)
}

/** What a screen or the cache shows of a site, in the shape the database's figures are read in. */
const figures = (products: Iterable<{ sku: string } & SiteProduct>) =>
  Object.fromEntries([...products].filter((p) => p.onHand !== 0 || p.reserved !== 0).map(({ sku, ...p }) => [sku, p]))

/** Every seq an inventory message covered, in arrival order. */
const coveredSeqs = (messages: ServerMessage[]) =>
  messages.flatMap((m) => {
    if (m.type === 'inventory_update') return [m.seq]
    if (m.type !== 'inventory_batch_update') return []
    return Array.from({ length: m.seq - m.fromSeq + 1 }, (_, i) => m.fromSeq + i)
  })

const stockOf = (p: { sku: string; onHand: number; reserved: number; available: number; locations: SiteProduct['locations'] }) => ({
  sku: p.sku,
  onHand: p.onHand,
  reserved: p.reserved,
  available: p.available,
  locations: p.locations,
})

describe('two sites with the same location codes', () => {
  it('scanned at once, the cache and each site’s screen keep them apart and equal the database', async () => {
    const [here, there] = [await open(SITE), await open(OTHER)]
    const start = { here: here.view.seq, there: there.view.seq }
    // Both sites' devices at once: site1 receives 1..3 per location, site2 ten times more.
    await Promise.all([
      ...s.devices.map((d, k) => receiveAll(d, (i, j) => (k === 0 ? i + j + 1 : 1))),
      ...others.map((d, k) => receiveAll(d, (i, j) => (k === 0 ? 10 * (i + j + 1) : 10))),
    ])
    expect(await s.inspect.inconsistencies()).toEqual([])

    const truth = { here: await s.inspect.siteStock(SITE), there: await s.inspect.siteStock(OTHER) }
    // The sites differ at every shared location code, so a mix-up cannot go unseen.
    expect(truth.here['P-1']!.locations['L-1']).toEqual({ onHand: 2, reserved: 0, available: 2 })
    expect(truth.there['P-1']!.locations['L-1']).toEqual({ onHand: 20, reserved: 0, available: 20 })
    // The shipping lane holds stock, none of it available.
    expect(truth.there['P-1']!.locations.SHIP).toEqual({ onHand: 40, reserved: 0, available: 0 })
    expect(truth.there['P-1']).toMatchObject({ onHand: 90, available: 50 })

    const { cache } = s.inspect
    for (const [site, expected] of [
      [SITE, truth.here],
      [OTHER, truth.there],
    ] as const) {
      const { data } = await cache.snapshot(site)
      expect(data.every((p) => p.site === site)).toBe(true)
      expect(figures(data.map(stockOf))).toEqual(expected)
    }

    const seqs = {
      here: Number(await s.inspect.redis.get(cache.keys.seq(SITE))),
      there: Number(await s.inspect.redis.get(cache.keys.seq(OTHER))),
    }
    await eventually('both screens caught up', () => here.view.seq === seqs.here && there.view.seq === seqs.there, 10_000)
    expect(figures([...here.view.stock.values()].map(stockOf))).toEqual(truth.here)
    expect(figures([...there.view.stock.values()].map(stockOf))).toEqual(truth.there)
    // Each screen saw its own site's stream, every seq once, and no delta of the other site.
    for (const [screen, site, from, to] of [
      [here, SITE, start.here, seqs.here],
      [there, OTHER, start.there, seqs.there],
    ] as const) {
      expect(coveredSeqs(screen.messages).filter((q) => q > from)).toEqual(Array.from({ length: to - from }, (_, i) => from + 1 + i))
      const data = screen.messages.flatMap((m) =>
        m.type === 'inventory_update' ? [m.data] : m.type === 'inventory_batch_update' || m.type === 'inventory_snapshot' ? m.data : [],
      )
      expect(new Set(data.map((d) => d.site))).toEqual(new Set([site]))
    }
  })

  it('each screen gets its own site’s snapshot, thresholds, devices and activity', async () => {
    const [here, there] = [await open(SITE), await open(OTHER)]
    expect(here.of('inventory_snapshot')[0]).toMatchObject({ site: SITE })
    expect(there.of('inventory_snapshot')[0]).toMatchObject({ site: OTHER })
    expect(here.view.info.get('P-1')?.reorderThreshold).toBe(0)
    expect(there.view.info.get('P-1')?.reorderThreshold).toBe(50)
    const tiles = (screen: TestScreen) => screen.of('device_status')[0]!.devices.map((d) => d.deviceId)
    expect(tiles(here)).toEqual(s.fixture.devices)
    expect(tiles(there)).toEqual(['E-1', 'E-2'])

    const device = others[0]!
    const pick = device.event({ type: 'pick', barcode: 'P-2', location: 'L-1', qty: 1 })
    await device.publish(pick)
    await eventually(
      'the activity at the other site',
      () => there.of('activity').some((m) => m.items.some((i) => i.eventId === pick.eventId)),
      5000,
    )
    const items = (screen: TestScreen) => screen.of('activity').flatMap((m) => m.items)
    expect(items(there).every((i) => i.site === OTHER)).toBe(true)
    expect(items(here).every((i) => i.site === SITE)).toBe(true)
    expect(items(here).some((i) => i.eventId === pick.eventId)).toBe(false)
  })

  it('a held event and its decision reach only their site’s screens, each with its site’s pending count', async () => {
    const [here, there] = [await open(SITE), await open(OTHER)]
    const heldIds = (screen: TestScreen) => screen.of('held_event').flatMap((m) => m.held.map((h) => h.eventId))
    const pendingAt = async (site: string) =>
      Number(
        (
          await s.inspect.rows<{ n: number }>(
            `SELECT COUNT(*) AS n FROM held_events WHERE status = 'pending' AND JSON_VALUE(payload, '$.site') = ?`,
            [site],
          )
        )[0]!.n,
      )
    const before = { here: await pendingAt(SITE), there: await pendingAt(OTHER) }
    /** An oversized pick: more than the location holds, so it is held for an admin. */
    const hold = async (device: TestDevice, barcode: string) => {
      const pick = device.event({ type: 'pick', barcode, location: 'L-2', qty: 100_000 })
      await device.publish(pick)
      await device.waitFor((acks) => acks.some((a) => a.eventId === pick.eventId && a.status === 'held'))
      return pick.eventId
    }
    // One held at this site, two at the other, so the sites' counts differ.
    const ours = await hold(s.devices[0]!, 'P-4')
    const theirs = [await hold(others[0]!, 'P-4'), await hold(others[1]!, 'P-5')]
    const pending = { here: await pendingAt(SITE), there: await pendingAt(OTHER) }
    expect(pending).toEqual({ here: before.here + 1, there: before.there + 2 })
    const lastPending = (screen: TestScreen) => screen.of('held_event').at(-1)?.pending
    await eventually(
      'each site’s held events on its screen',
      () =>
        heldIds(here).includes(ours) &&
        theirs.every((id) => heldIds(there).includes(id)) &&
        lastPending(here) === pending.here &&
        lastPending(there) === pending.there,
      5000,
    )
    expect(heldIds(here).filter((id) => theirs.includes(id))).toEqual([])
    expect(heldIds(there)).not.toContain(ours)
    // A screen that connects now is sent its site's pending list and count only.
    const initial = (await hub().services.floorState.initial(OTHER)).find((m) => m.type === 'held_event')!
    expect(initial).toMatchObject({ pending: pending.there })
    expect(initial.held.map((h) => h.eventId)).toEqual(expect.arrayContaining(theirs))
    expect(initial.held.map((h) => h.eventId)).not.toContain(ours)

    // An admin rejects one of the other site's: only that site's screens hear it.
    const listed = await hub().inject({ url: `/api/held-events?status=pending&site=${OTHER}`, headers: bearer(s.fixture.keys.admin) })
    const id = (listed.json() as { items: { id: number; eventId: string }[] }).items.find((h) => h.eventId === theirs[0])!.id
    const heardHere = here.messages.length
    const rejected = await hub().inject({
      method: 'POST',
      url: `/api/held-events/${id}/reject`,
      headers: bearer(s.fixture.keys.admin),
      payload: { reason: 'scanned twice' },
    })
    expect(rejected.statusCode).toBe(200)
    const decided = (screen: TestScreen) => screen.of('held_event').find((m) => m.decided?.includes(theirs[0]!))
    await eventually('the decision on the other site’s screen', () => decided(there) !== undefined, 5000)
    expect(decided(there)!.pending).toBe(pending.there - 1)
    expect(await pendingAt(OTHER)).toBe(pending.there - 1)
    expect(here.messages.slice(heardHere).filter((m) => m.type === 'held_event')).toEqual([])
    expect(decided(here)).toBeUndefined()
  })

  it('stock on the shipping lane is never available, to the screen or to a check', async () => {
    const there = await open(OTHER)
    const p1 = there.view.stock.get('P-1')!
    expect(p1.locations.SHIP).toMatchObject({ available: 0 })
    expect(p1.available).toBe(p1.onHand - p1.locations.SHIP!.onHand)
    const check = await hub().inject({
      method: 'POST',
      url: '/api/stock/check',
      headers: bearer(s.fixture.keys.orders),
      payload: { site: OTHER, items: [{ sku: 'P-1', qty: p1.available + 1 }] },
    })
    expect(check.json()).toEqual({ site: OTHER, items: [{ sku: 'P-1', requested: p1.available + 1, available: p1.available, ok: false }] })
  })

  it('a screen with a key limited to the other site, or naming no site, is refused', async () => {
    const store = createApiKeyStore(hub().services.database.db)
    const limited = (await store.create({ name: 'site1-screen', role: 'viewer', sites: [SITE] }, 'test')).key
    const closeCode = async (url: string, key: string) => {
      const socket = new WebSocket(url, liveProtocols(key))
      return new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    }
    expect(await closeCode(await liveUrl(hub(), OTHER), limited)).toBe(LiveCloseCodes.forbiddenSite)
    expect(await closeCode((await liveUrl(hub())).replace(/\?.*$/, ''), limited)).toBe(LiveCloseCodes.unknownSite)
    expect(await closeCode(await liveUrl(hub(), 'nowhere'), s.fixture.keys.viewer)).toBe(LiveCloseCodes.unknownSite)
    const own = await TestScreen.open(hub(), { apiKey: limited, site: SITE })
    screens.push(own)
    expect(own.view.site).toBe(SITE)
    // The sync status shows the key its sites only.
    const status = (await hub().inject({ url: '/api/sync-status', headers: bearer(limited) })).json()
    expect(status.sites.map((x: { site: string }) => x.site)).toEqual([SITE])
  })

  it('reconciliation repairs one site’s cache, leaves the other’s alone, and shows each site its own figures', async () => {
    const run = () => hub().reconciliation.runner.run({ scope: 'full', dryRun: false, trigger: 'cli' })
    expect((await run()).discrepancies).toBe(0)
    const [here, there] = [await open(SITE), await open(OTHER)]
    const { cache, redis } = s.inspect
    const untouched = await redis.hGetAll(cache.keys.product(SITE, 'P-3'))
    await redis.hSet(cache.keys.product(OTHER, 'P-3'), 'l:L-1', '999:0:99999:1')
    const fixed = await run()
    expect(fixed.summary?.found).toEqual([
      expect.objectContaining({ check: 'cache', site: OTHER, sku: 'P-3', location: 'L-1', outcome: 'corrected' }),
    ])
    expect(await redis.hGetAll(cache.keys.product(SITE, 'P-3'))).toEqual(untouched)
    expect(await s.inspect.inconsistencies()).toEqual([])

    // Each screen is shown the run's time and status with its own site's figures: the levels
    // checked there, and what was found and corrected there.
    const levelsAt = async (site: string) =>
      Number(
        (
          await s.inspect.rows<{ n: number }>(
            'SELECT COUNT(*) AS n FROM stock_levels s JOIN locations l ON l.id = s.location_id WHERE l.site = ?',
            [site],
          )
        )[0]!.n,
      )
    const checked = { here: await levelsAt(SITE), there: await levelsAt(OTHER) }
    expect(checked.here + checked.there).toBe(fixed.rowsChecked)
    const expected = {
      [SITE]: { site: SITE, scope: 'full', status: 'done', checked: checked.here, discrepancies: 0, corrected: 0 },
      [OTHER]: { site: OTHER, scope: 'full', status: 'done', checked: checked.there, discrepancies: 1, corrected: 1 },
    }
    const lastRun = (screen: TestScreen) => screen.of('reconciliation').at(-1)?.run
    await eventually('each site’s figures', () => lastRun(here)?.discrepancies === 0 && lastRun(there)?.discrepancies === 1, 5000)
    expect(lastRun(here)).toEqual(expect.objectContaining(expected[SITE]))
    expect(lastRun(there)).toEqual(expect.objectContaining(expected[OTHER]))
    expect(lastRun(there)!.at).toBe(lastRun(here)!.at)
    // Kept for the screens that connect later.
    for (const [site, screen] of [
      [SITE, here],
      [OTHER, there],
    ] as const)
      expect((await hub().services.floorState.initial(site)).find((m) => m.type === 'reconciliation')).toEqual({
        type: 'reconciliation',
        run: lastRun(screen),
      })
  })

  it('an instance follows a site’s stream only while it has a screen of that site', async () => {
    const followed = () => hub().screens.sites.groups.map((g) => g.site)
    await eventually('the screens of earlier tests gone', () => followed().length === 0, 5000)
    const screen = await open(OTHER)
    expect(followed()).toEqual([OTHER])
    screen.close()
    await eventually('the site let go with its last screen', () => followed().length === 0, 5000)
    // Opened again by the next screen, which misses nothing.
    const device = others[1]!
    const again = await open(OTHER)
    const before = again.view.stock.get('P-6')!.onHand
    await device.publish(device.event({ type: 'receive', barcode: 'P-6', location: 'L-2', qty: 1 }))
    await eventually('the delta', () => again.view.stock.get('P-6')?.onHand === before + 1, 5000)
    expect((await s.inspect.siteStock(OTHER))['P-6']!.onHand).toBe(before + 1)
    expect(followed()).toEqual([OTHER])
  })
})
