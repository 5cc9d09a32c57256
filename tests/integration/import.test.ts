import { describe, expect, it } from 'vitest'
import type { ImportProblem } from '@wh/shared'
import { HubError } from '../../hub/src/errors.ts'
import type { ImportFile } from '../../hub/src/import/import-check.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('import', { products: 2, locations: 1, devices: 0, hubs: [{ RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0 }] })
const hub = () => s.hubs[0]!

const csv = (...lines: (string | Buffer)[]) => Buffer.concat(lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')])))
const LONG = 'x'.repeat(10_000)

/** An import with one bad row of every kind; `fixed` is the same import with each mended. */
function files(fixed: boolean): ImportFile[] {
  return [
    {
      kind: 'locations',
      data: csv('site,code,zone,pickable,reservable', `${SITE},A-01,pick,true,true`, `${SITE},SHIP-1,shipping,false,false`),
    },
    {
      kind: 'products',
      data: csv(
        `sku,name,unit,reorder_threshold,reorder_threshold@${SITE}`,
        'N-1,Widget,ea,5,8',
        'N-2,Gadget,ea,3,',
        fixed ? 'N-3,Gizmo,ea,0,' : 'N-1,Widget again,ea,5,', // line 4: duplicate SKU
        `N-4,${fixed ? 'Long name' : LONG},ea,1,`, // line 5: a 10,000-character field
        fixed ? 'N-5,Cafe,ea,2,' : Buffer.from('N-5,Caf\xe9,ea,2,', 'latin1'), // line 6: not UTF-8
      ),
    },
    {
      kind: 'gtins',
      data: csv('sku,gtin,qty', 'N-1,09506000134352,1', `N-1,${fixed ? '19506000134359' : '19506000134358'},12`), // line 3: check digit
    },
    {
      kind: 'stock',
      data: csv(
        'site,location,sku,qty,lot,expiry',
        `${SITE},A-01,N-1,10,L1,2027-01-31`,
        `${SITE},A-01,N-1,5,L2,2027-03-31`,
        fixed ? `${SITE},A-01,N-2,7,,` : `${SITE},A-01,N-2,7`, // line 4: missing columns
        `${fixed ? SITE : 'nowhere'},A-01,N-3,4,,`, // line 5: unknown site
        `${SITE},${fixed ? 'A-01' : 'B-99'},N-4,6,,`, // line 6: unknown location
        `${SITE},L-1,N-5,${fixed ? '3' : '-3'},,`, // line 7: negative
        `${SITE},SHIP-1,N-1,${fixed ? '2' : '2.5'},,`, // line 8: fractional
        `${SITE},L-1,N-2,1,L9,${fixed ? '2027-02-28' : '2027-02-30'}`, // line 9: no such day
      ),
    },
  ]
}

/** Everything an import could write. */
const TABLES = [
  'sites',
  'locations',
  'products',
  'product_gtins',
  'reorder_thresholds',
  'stock_movements',
  'stock_levels',
  'lots',
  'lot_movements',
  'audit_log',
  'imports',
]
const snapshot = () => Promise.all(TABLES.map((t) => s.inspect.rows(`SELECT * FROM ${t}`)))
const at = (p: ImportProblem) => `${p.kind}:${p.line}${p.column ? ` ${p.column}` : ''} ${p.code}`
const ledgerRows = async () => Number((await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM stock_movements'))[0]!.n)

describe('CSV import', () => {
  it('refuses a file with one bad row of every kind whole, listing every problem by line, and writes nothing', async () => {
    const before = await snapshot()
    const expected = [
      'products:4 DUPLICATE_ROW',
      'products:5 name FIELD_TOO_LONG',
      'products:6 BAD_ENCODING',
      'gtins:3 gtin BAD_CHECK_DIGIT',
      'stock:4 lot MISSING_COLUMN',
      'stock:4 expiry MISSING_COLUMN',
      'stock:5 site UNKNOWN_SITE',
      // The products refused above (N-3, N-4, N-5) are unknown to the rows after them.
      'stock:5 sku UNKNOWN_SKU',
      'stock:6 sku UNKNOWN_SKU',
      'stock:6 location UNKNOWN_LOCATION',
      'stock:7 qty INVALID_FIELD',
      'stock:7 sku UNKNOWN_SKU',
      'stock:8 qty INVALID_FIELD',
      'stock:9 expiry INVALID_FIELD',
    ]
    const dry = await hub().imports.dryRun(files(false))
    expect(dry.problems.map(at)).toEqual(expected)
    expect(dry.problems.find((p) => p.line === 7)!.reason).toMatch(/>= 0/)
    expect(dry.problems.find((p) => p.line === 8)!.reason).toMatch(/integer/)
    expect(dry.problems.find((p) => p.kind === 'gtins')!.reason).toMatch(/should be 9/)
    const refused = await hub()
      .imports.apply(files(false), { actor: 'tester' })
      .catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(HubError)
    expect(((refused as HubError).details as ImportProblem[]).map(at)).toEqual(expected)
    expect(await snapshot()).toEqual(before)
  })

  it('answers the API with the problems of a file as problem details', async () => {
    const stock = files(false).find((f) => f.kind === 'stock')!
    const res = await hub().inject({
      method: 'POST',
      url: '/api/imports?kind=stock&dryRun=true',
      headers: { ...bearer(s.fixture.keys.admin), 'content-type': 'text/csv' },
      payload: stock.data,
    })
    expect(res.statusCode, res.body).toBe(422)
    const body = res.json()
    expect(body.code).toBe('IMPORT_REFUSED')
    // Alone, the stock file does not know the products and locations the other files add.
    expect(body.details).toContainEqual(expect.objectContaining({ kind: 'stock', line: 2, column: 'sku', code: 'UNKNOWN_SKU' }))
    const viewer = await hub().inject({
      method: 'POST',
      url: '/api/imports?kind=stock',
      headers: { ...bearer(s.fixture.keys.viewer), 'content-type': 'text/csv' },
      payload: stock.data,
    })
    expect(viewer.statusCode).toBe(403)
  })

  it('applies the fixed file once: catalog, then opening stock as counted movements through the partitions', async () => {
    const reports = await hub().imports.apply(files(true), { actor: 'tester' })
    const stock = reports.find((r) => r.kind === 'stock')!
    expect(await hub().imports.waitApplied(stock.id)).toMatchObject({ status: 'applied', rows: 8, applied: 8, held: 0 })
    const levels = await s.inspect.rows<{ sku: string; location: string; on_hand: number }>(
      `SELECT p.sku, l.code AS location, s.on_hand FROM stock_levels s JOIN products p ON p.id = s.product_id
       JOIN locations l ON l.id = s.location_id ORDER BY p.sku, l.code`,
    )
    expect(levels.map((l) => `${l.sku}@${l.location}=${l.on_hand}`)).toEqual([
      'N-1@A-01=15',
      'N-1@SHIP-1=2',
      'N-2@A-01=7',
      'N-2@L-1=1',
      'N-3@A-01=4',
      'N-4@A-01=6',
      'N-5@L-1=3',
    ])
    const lots = await s.inspect.rows<{ lot_code: string; qty: number; expiry: string }>(
      `SELECT lot_code, qty, DATE_FORMAT(expiry, '%Y-%m-%d') AS expiry FROM lots WHERE lot_code <> '' ORDER BY lot_code`,
    )
    expect(lots).toEqual([
      { lot_code: 'L1', qty: 10, expiry: '2027-01-31' },
      { lot_code: 'L2', qty: 5, expiry: '2027-03-31' },
      { lot_code: 'L9', qty: 1, expiry: '2027-02-28' },
    ])
    const movements = await s.inspect.rows<{ type: string; triggered_by: string; reason: string; device_id: null }>(
      'SELECT DISTINCT type, triggered_by, reason, device_id FROM stock_movements',
    )
    expect(movements).toEqual([{ type: 'count', triggered_by: 'import', reason: `opening stock, import ${stock.id}`, device_id: null }])
    const audit = await s.inspect.rows<{ entity_id: string; actor: string }>(
      `SELECT entity_id, actor FROM audit_log WHERE entity = 'import'`,
    )
    expect(audit).toContainEqual({ entity_id: stock.id, actor: 'tester' })
    expect(await s.inspect.inconsistencies()).toEqual([])
    const run = await hub().reconciliation.runner.run({ scope: 'full', dryRun: true, trigger: 'cli' })
    expect(run.discrepancies).toBe(0)
  })

  it('applies the same file again as duplicates: nothing changes', async () => {
    const rows = await ledgerRows()
    const levels = await s.inspect.levels()
    const reports = await hub().imports.apply(files(true), { actor: 'tester' })
    expect(await hub().imports.waitApplied(reports.find((r) => r.kind === 'stock')!.id)).toMatchObject({ status: 'applied' })
    expect(await ledgerRows()).toBe(rows)
    expect(await s.inspect.levels()).toEqual(levels)
  })

  it('applies opening stock from the API: 202, then its progress until every row is in', async () => {
    const data = csv('site,location,sku,qty,lot,expiry', `${SITE},L-1,N-3,9,,`)
    const res = await hub().inject({
      method: 'POST',
      url: '/api/imports?kind=stock',
      headers: { ...bearer(s.fixture.keys.admin), 'content-type': 'text/csv' },
      payload: data,
    })
    expect(res.statusCode, res.body).toBe(202)
    const progress = async () =>
      (await hub().inject({ method: 'GET', url: res.headers.location!, headers: bearer(s.fixture.keys.admin) })).json()
    await eventually('the import is applied', async () => (await progress()).status === 'applied')
    expect(await progress()).toMatchObject({ kind: 'stock', rows: 1, applied: 1 })
    expect(await s.inspect.levels()).toContainEqual({ site: SITE, sku: 'N-3', location: 'L-1', onHand: 9, reserved: 0 })
    const audit = await s.inspect.rows<{ actor: string }>(`SELECT actor FROM audit_log WHERE entity = 'import' AND entity_id = ?`, [
      res.json().id,
    ])
    expect(audit).toEqual([{ actor: 'test-admin' }])
  })

  it('says which rows the partitions held: a lot counted into a location whose stock is in another lot', async () => {
    // N-1 at A-01 holds lots L1 and L2; a count of 4 in lot L3 would take 11 out of L3.
    const data = csv('site,location,sku,qty,lot,expiry', `${SITE},A-01,N-1,4,L3,`)
    const [report] = await hub().imports.apply([{ kind: 'stock', data }], { actor: 'tester' })
    expect(await hub().imports.waitApplied(report!.id)).toMatchObject({ status: 'applied', rows: 1, held: 1 })
    const held = await s.inspect.rows<{ reason_code: string }>('SELECT reason_code FROM held_events WHERE device_id IS NULL')
    expect(held).toEqual([{ reason_code: 'LOT_SHORT' }])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('exports the catalog in the import format, which imports back unchanged', async () => {
    const before = await snapshot()
    for (const kind of ['sites', 'locations', 'products', 'gtins']) {
      const res = await hub().inject({
        method: 'GET',
        url: `/api/exports/catalog.csv?kind=${kind}`,
        headers: bearer(s.fixture.keys.viewer),
      })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^text\/csv/)
      const dry = await hub().imports.dryRun([{ kind: kind as ImportFile['kind'], data: res.rawPayload }])
      expect(dry.problems).toEqual([])
      expect(dry.reports[0]!.rows).toBeGreaterThan(0)
    }
    const products = await hub().inject({ method: 'GET', url: '/api/exports/catalog.csv', headers: bearer(s.fixture.keys.viewer) })
    expect(products.body.split('\n')[0]).toBe(`sku,name,unit,reorder_threshold,active,reorder_threshold@${SITE}`)
    expect(products.body).toContain('N-1,Widget,ea,5,true,8\n')
    expect(products.body).toContain('N-2,Gadget,ea,3,true,\n')
    // Everything the import writes about the catalog is as it was; only its own records and audit grow.
    const after = await snapshot()
    TABLES.forEach((t, i) => t !== 'audit_log' && t !== 'imports' && expect(after[i]).toEqual(before[i]))
  })

  it('exports a site’s levels and a ledger range, and a site-limited key sees only its sites', async () => {
    const levels = await hub().inject({
      method: 'GET',
      url: `/api/exports/levels.csv?site=${SITE}`,
      headers: bearer(s.fixture.keys.viewer),
    })
    expect(levels.body.split('\n')).toContain(`${SITE},SHIP-1,shipping,N-1,2,0,0`)
    const ledger = await hub().inject({
      method: 'GET',
      url: `/api/exports/ledger.csv?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
      headers: bearer(s.fixture.keys.viewer),
    })
    expect(ledger.body.trim().split('\n')).toHaveLength(1 + (await ledgerRows()))
    const { key } = await hub().apiKeys.store.create({ name: 'elsewhere', role: 'viewer', sites: ['other-site'] }, 'test')
    const refused = await hub().inject({ method: 'GET', url: `/api/exports/levels.csv?site=${SITE}`, headers: bearer(key) })
    expect(refused.statusCode).toBe(403)
    const limited = await hub().inject({
      method: 'GET',
      url: `/api/exports/ledger.csv?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
      headers: bearer(key),
    })
    expect(limited.body.trim().split('\n')).toHaveLength(1)
  })
})
