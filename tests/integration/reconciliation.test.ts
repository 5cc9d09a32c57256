import { describe, expect, it } from 'vitest'
import { createClient } from 'redis'
import { OrderingClient, type Finding, type Run } from '@wh/shared'
import { touchedLevels } from '../../hub/src/reconcile/dirty-set.ts'
import { RunLockedError } from '../../hub/src/reconcile/reconcile-queue.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl } from '../helpers/screen.ts'

// No schedulers: every run here is started by the test, so none takes the dirty set behind its back.
const s = useScenario('reconcile', {
  products: 8,
  locations: 2,
  devices: 1,
  hubs: [{ RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0 }],
})
const hub = () => s.hubs[0]!
const run = (scope: 'incremental' | 'full', dryRun = false) => hub().reconciliation.runner.run({ scope, dryRun, trigger: 'cli' })
const cacheKey = (sku: string) => hub().services.liveCache.keys.product(SITE, sku)

async function receive(sku: string, location: string, qty: number) {
  const device = s.devices[0]!
  const event = device.event({ type: 'receive', barcode: sku, location, qty })
  await device.publish(event)
  await device.waitFor((acks) => acks.some((a) => a.eventId === event.eventId))
}

const level = (sku: string, location: string) =>
  `(SELECT id FROM products WHERE sku = '${sku}') AND location_id = (SELECT id FROM locations WHERE code = '${location}')`

/** The run's findings, without the counts that depend on stock: check, sku, location, outcome. */
const found = (r: Run) =>
  (r.summary?.found ?? []).map((f: Finding) => `${f.check} ${f.sku}${f.check === 'cache' ? '' : `@${f.location}`} ${f.outcome}`).sort()

/** Everything a dry run must leave as it is: the tables it could correct, the audit log, the cache hashes. */
async function state() {
  const tables = await Promise.all(
    [
      'SELECT * FROM stock_levels ORDER BY product_id, location_id',
      'SELECT * FROM lots ORDER BY id',
      'SELECT * FROM reservations ORDER BY id',
      'SELECT id FROM audit_log ORDER BY id',
    ].map((q) => s.inspect.rows(q)),
  )
  const cache = await Promise.all(s.fixture.skus.map((sku) => s.inspect.redis.hGetAll(cacheKey(sku))))
  return { tables, cache }
}

/** Injects one drift of every kind by hand (behind the hub's back) and marks those products touched. */
async function injectDrift() {
  const [p1, p2, p3, p4, p5] = s.fixture.skus as string[]
  const db = s.inspect.db
  await db.query(`UPDATE stock_levels SET on_hand = on_hand + 7 WHERE product_id = ${level(p1!, 'L-1')}`)
  await s.inspect.redis.hSet(cacheKey(p2!), 'l:L-1', '999:0:99999:1')
  await s.inspect.redis.del(cacheKey(p4!))
  await db.query(`DELETE FROM reservations WHERE product_id = ${level(p3!, 'L-1')}`)
  await db.query(`UPDATE lots SET qty = qty - 2 WHERE lot_code = '' AND product_id = ${level(p5!, 'L-1')}`)
  await hub().reconciliation.dirty.mark([p1!, p2!, p3!, p4!, p5!])
}

const EXPECTED = (outcome: string) =>
  [
    `ledger P-1@L-1 ${outcome}`,
    `cache P-2 ${outcome}`,
    `reserved P-3@L-1 ${outcome}`,
    `cache P-4 ${outcome}`,
    `lots P-5@L-1 ${outcome}`,
  ].sort()

describe('reconciliation finds and corrects drift', () => {
  it('starts from clean books: stock through real scans and an order, then a full run that leaves nothing to find', async () => {
    for (const sku of s.fixture.skus.slice(0, 7)) {
      await receive(sku, 'L-1', 20)
      await receive(sku, 'L-2', 5)
    }
    const ordering = new OrderingClient({ baseUrl: await httpUrl(hub()), apiKey: s.fixture.keys.orders })
    expect((await ordering.reserve({ site: SITE, lines: [{ sku: 'P-3', qty: 4 }] })).ok).toBe(true)
    // Every change through the hub marks its level for the incremental run.
    const marked = touchedLevels(await hub().reconciliation.dirty.peek())
    expect([...marked.keys()].sort()).toEqual(s.fixture.skus.slice(0, 7).sort())
    expect(marked.get('P-1')?.sort((a, b) => a.location.localeCompare(b.location))).toEqual([
      { site: SITE, location: 'L-1' },
      { site: SITE, location: 'L-2' },
    ])
    // Devices' last seq is written a moment after their events.
    await eventually(
      'the device bookkeeping',
      async () => (await s.inspect.rows<{ n: number }>('SELECT last_device_seq AS n FROM devices'))[0]!.n === 14,
    )
    await run('full')
    const again = await run('full')
    expect(again).toMatchObject({ status: 'done', discrepancies: 0, corrections: 0, productsChecked: 8, rowsChecked: 14 })
    expect(again.summary?.devices).toEqual({ checked: 1, withGaps: 0, lastSeqMismatch: 0 })
    expect((await run('incremental')).discrepancies).toBe(0)
  })

  it('a dry run finds every kind of injected drift and changes nothing', async () => {
    await injectDrift()
    const before = await state()
    const dry = await run('incremental', true)
    expect(found(dry)).toEqual(EXPECTED('dry-run'))
    expect(dry).toMatchObject({ status: 'done', dryRun: true, discrepancies: 5, corrections: 0 })
    expect(await state()).toEqual(before)
    // The touched products are still there for the real run.
    expect([...touchedLevels(await hub().reconciliation.dirty.peek()).keys()].sort()).toEqual(['P-1', 'P-2', 'P-3', 'P-4', 'P-5'])
  })

  it('the next incremental run finds and corrects exactly those, each with an audit entry', async () => {
    const fixed = await run('incremental')
    expect(found(fixed)).toEqual(EXPECTED('corrected'))
    expect(fixed).toMatchObject({ status: 'done', discrepancies: 5, corrections: 5, productsChecked: 5 })
    expect(fixed.summary?.byCheck).toEqual({ ledger: 1, cache: 2, reserved: 1, lots: 1 })

    const audit = await s.inspect.rows<{ entity: string; entity_id: string; before: string; after: string; reason: string }>(
      `SELECT entity, entity_id, \`before\`, \`after\`, reason FROM audit_log WHERE action = 'reconcile' AND reason LIKE ? ORDER BY id`,
      [`reconciliation run ${fixed.id} %`],
    )
    expect(audit.map((a) => a.entity).sort()).toEqual(['cache', 'cache', 'lot', 'stock_level', 'stock_level'])
    expect(audit.every((a) => a.reason.includes('(incremental, triggered by cli)'))).toBe(true)
    const p1 = audit.find((a) => a.entity === 'stock_level' && JSON.parse(a.before).sku === 'P-1')!
    expect(JSON.parse(p1.before)).toMatchObject({ sku: 'P-1', location: 'L-1', onHand: 27 })
    expect(JSON.parse(p1.after)).toMatchObject({ onHand: 20, diff: { onHand: -7, reserved: 0 } })
    const lot = audit.find((a) => a.entity === 'lot')!
    expect(JSON.parse(lot.after)).toMatchObject({ sku: 'P-5', lotCode: '', qty: 20, diff: 2 })

    // The books balance again, everywhere: ledger = level = cache, reserved = reservations, lots = on_hand.
    expect(await s.inspect.inconsistencies()).toEqual([])
    expect(await s.inspect.cache.read(SITE, 'P-2')).toMatchObject({ onHand: 25 })
    expect(await s.inspect.cache.read(SITE, 'P-4')).toMatchObject({ onHand: 25 })
    expect(await s.inspect.rows('SELECT reserved FROM stock_levels WHERE product_id = ' + level('P-3', 'L-1'))).toEqual([{ reserved: 0 }])
    expect((await run('full')).discrepancies).toBe(0)
    expect(await hub().reconciliation.dirty.peek()).toEqual([])
  })

  it('a full run catches drift the dirty set never heard of, which the incremental run cannot see', async () => {
    await s.inspect.db.query(`UPDATE stock_levels SET on_hand = on_hand - 3 WHERE product_id = ${level('P-6', 'L-2')}`)
    await s.inspect.db.query(`DELETE FROM stock_levels WHERE product_id = ${level('P-7', 'L-2')}`)
    await s.inspect.redis.hSet(cacheKey('P-7'), 'l:L-1', '1:0:1:1')
    expect((await run('incremental')).discrepancies).toBe(0)
    const full = await run('full')
    expect(found(full)).toEqual(['cache P-7 corrected', 'ledger P-6@L-2 corrected', 'ledger P-7@L-2 corrected'])
    expect(await s.inspect.inconsistencies()).toEqual([])
    expect((await run('full')).discrepancies).toBe(0)
  })

  it('a correction that would break reserved <= on_hand is left for an admin', async () => {
    // A reservation row (slipped in by hand) holding more than the ledger says is there.
    await s.inspect.db.query(
      `INSERT INTO reservations (order_id, product_id, location_id, qty) SELECT id, (SELECT id FROM products WHERE sku = 'P-3'),
         (SELECT id FROM locations WHERE code = 'L-1'), 30 FROM orders`,
    )
    const r = await run('full')
    expect(found(r)).toEqual(['reserved P-3@L-1 needs-admin'])
    expect(r).toMatchObject({ discrepancies: 1, corrections: 0, summary: { needsAdmin: 1 } })
    await s.inspect.db.query(`DELETE FROM reservations WHERE qty = 30`)
    expect((await run('full')).discrepancies).toBe(0)
  })

  it('runs never overlap: a second run waits for the lock, two queued runs go one after the other', async () => {
    const first = run('full')
    await expect(run('incremental')).rejects.toBeInstanceOf(RunLockedError)
    await first
    const base = await httpUrl(hub())
    const post = (body: object) =>
      fetch(`${base}/api/reconciliation/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(s.fixture.keys.admin) },
        body: JSON.stringify(body),
      })
    const answers = await Promise.all([post({ scope: 'full' }), post({ scope: 'incremental' }), post({ scope: 'full', dryRun: true })])
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202])
    const queued = (await Promise.all(answers.map((a) => a.json()))) as { run: Run; jobId: string }[]
    expect(queued.map((q) => [q.run.status, q.jobId])).toEqual(queued.map((q) => ['queued', `run-${q.run.id}`]))
    const finished = () => Promise.all(queued.map(async (q) => (await hub().reconciliation.store.get(q.run.id))!))
    await eventually('the queued runs', async () => (await finished()).every((r) => r.status === 'done'), 20_000)
    const runs = await finished()
    const spans = runs.map((r) => [Date.parse(r.startedAt), Date.parse(r.startedAt) + r.durationMs!]).sort((a, b) => a[0]! - b[0]!)
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]!)
  })

  it('the API queues runs (202), lists them newest first with paging (200), shows one (200/404), refuses bad input (400)', async () => {
    const base = await httpUrl(hub())
    const bad = await fetch(`${base}/api/reconciliation/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(s.fixture.keys.admin) },
      body: JSON.stringify({ scope: 'everything' }),
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: '/body/scope' }] })
    const page = (await (await fetch(`${base}/api/reconciliation/runs?limit=2`, { headers: bearer(s.fixture.keys.admin) })).json()) as {
      items: Run[]
      next: number
    }
    expect(page.items).toHaveLength(2)
    expect(page.items[0]!.id).toBeGreaterThan(page.items[1]!.id)
    const older = (await (
      await fetch(`${base}/api/reconciliation/runs?limit=2&before=${page.next}`, { headers: bearer(s.fixture.keys.admin) })
    ).json()) as { items: Run[] }
    expect(older.items[0]!.id).toBeLessThan(page.items[1]!.id)
    const one = await fetch(`${base}/api/reconciliation/runs/${page.items[0]!.id}`, { headers: bearer(s.fixture.keys.admin) })
    expect(one.status).toBe(200)
    expect(await one.json()).toMatchObject({ id: page.items[0]!.id, status: 'done' })
    const missing = await fetch(`${base}/api/reconciliation/runs/999999`, { headers: bearer(s.fixture.keys.admin) })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' })
    expect((await fetch(`${base}/api/reconciliation/runs/abc`, { headers: bearer(s.fixture.keys.admin) })).status).toBe(400)
  })

  it('each finished run reaches the floor screens and is kept for screens that connect later', async () => {
    const listener = createClient({ url: s.env.urls.redis })
    await listener.connect()
    const messages: unknown[] = []
    await listener.subscribe(hub().services.floorFeed.keys.siteChannel(SITE), (m) => messages.push(JSON.parse(m)))
    try {
      const r = await run('full', true)
      await eventually('the floor message', () => messages.length > 0)
      // The fixture's stock is all at one site: its figures are the run's.
      const expected = { site: SITE, scope: 'full', status: 'done', checked: r.rowsChecked, discrepancies: 0, corrected: 0, dryRun: true }
      expect(messages).toEqual([{ type: 'reconciliation', run: expect.objectContaining(expected) }])
      const initial = await hub().services.floorState.initial(SITE)
      expect(initial.find((m) => m.type === 'reconciliation')).toEqual({ type: 'reconciliation', run: expect.objectContaining(expected) })
    } finally {
      await listener.close()
    }
  })
})
