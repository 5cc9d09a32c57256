import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Adjustment, AdjustmentRequest, HistoryPage, InventoryPage, LotStock, ScanEvent } from '@wh/shared'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { addPerson, PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('office-adjust', { products: 4, locations: 2, devices: 1 })
const hub = () => s.hubs[0]!
const asAdmin = (method: string, url: string, payload?: object) =>
  hub().inject({ method, url, headers: bearer(s.fixture.keys.admin), ...(payload ? { payload } : {}) })

async function scan(fields: Parameters<(typeof s.devices)[0]['event']>[0]) {
  const event: ScanEvent = s.devices[0]!.event(fields)
  const [ack] = await s.devices[0]!.send([event])
  expect(ack).toMatchObject({ status: 'applied' })
}

const adjustment = (fields: Partial<AdjustmentRequest> & Pick<AdjustmentRequest, 'sku' | 'kind' | 'qty'>): AdjustmentRequest => ({
  id: randomUUID(),
  site: SITE,
  location: s.fixture.locations[0]!,
  reason: 'counted at the shelf',
  ...fields,
})

/** Everything an adjustment writes, to show a refused one wrote nothing. */
async function footprint() {
  const [counts] = await s.inspect.rows<Record<string, number>>(
    `SELECT (SELECT COUNT(*) FROM stock_movements) AS movements, (SELECT COUNT(*) FROM audit_log) AS audits,
            (SELECT COUNT(*) FROM held_events) AS held, (SELECT COALESCE(SUM(qty), 0) FROM lots) AS lotQty`,
  )
  return { counts, levels: await s.inspect.levels() }
}

const auditOf = (eventId: string) =>
  s.inspect.rows<{ action: string; actor: string; reason: string; after: string }>(
    "SELECT action, actor, reason, `after` FROM audit_log WHERE entity = 'adjustment' AND entity_id = ?",
    [eventId],
  )

describe('office adjustments: a movement like any other, made by a person', () => {
  it('sets and changes stock through the partitions, audited under the person, idempotent on retry', async () => {
    await addPerson(hub(), 'sam', 'supervisor')
    const sam = await PersonClient.signIn(hub(), 'sam')
    const [sku, loc] = [s.fixture.skus[0]!, s.fixture.locations[0]!]
    await scan({ type: 'receive', barcode: `(01)${s.fixture.gtins[0]}(10)L1(17)271231(37)10`, location: loc })

    const set = adjustment({ sku, kind: 'set', qty: 7, lot: 'L1' })
    const answer = await sam.send<Adjustment>('POST', '/api/adjustments', set)
    expect(answer.status).toBe(201)
    expect(answer.body).toMatchObject({ id: set.id, status: 'applied', actor: 'sam', sku, location: loc, kind: 'set', qty: 7, held: null })
    expect(answer.body.movement).toMatchObject({
      type: 'count',
      qtyDelta: -3,
      onHandAfter: 7,
      lot: 'L1',
      deviceId: null,
      triggeredBy: 'office',
      actor: 'sam',
      reason: 'counted at the shelf',
    })
    const [audit, ...more] = await auditOf(answer.body.eventId)
    expect(more).toEqual([])
    expect(audit).toMatchObject({ action: 'apply', actor: 'sam', reason: 'counted at the shelf' })
    expect(JSON.parse(audit!.after)).toMatchObject({ onHand: 7, qtyDelta: -3, lots: [{ lot: 'L1', qtyDelta: -3 }] })

    // A retry (the answer was lost) gets the first answer and writes nothing more.
    const before = await footprint()
    const retry = await sam.send<Adjustment>('POST', '/api/adjustments', set)
    expect([retry.status, retry.body]).toEqual([201, answer.body])
    expect(await footprint()).toEqual(before)
    // The same id for another adjustment is refused, and writes nothing.
    const reused = await sam.send('POST', '/api/adjustments', { ...set, qty: 8 })
    expect([reused.status, reused.body.code]).toEqual([409, 'ADJUSTMENT_ID_REUSED'])
    expect(await footprint()).toEqual(before)

    // A change into a new lot, dated: the lots read shows it beside the first, earliest expiry first.
    const change = await sam.send<Adjustment>(
      'POST',
      '/api/adjustments',
      adjustment({ sku, kind: 'change', qty: 5, lot: 'L2', expiry: '2027-06-30' }),
    )
    expect(change.status).toBe(201)
    expect(change.body.movement).toMatchObject({ type: 'adjust', qtyDelta: 5, onHandAfter: 12, lot: 'L2', actor: 'sam' })
    const lots = (await asAdmin('GET', `/api/inventory/${sku}/lots?site=${SITE}`)).json<LotStock>()
    expect(lots.lots.map(({ location, lot, expiry, qty }) => ({ location, lot, expiry, qty }))).toEqual([
      { location: loc, lot: 'L2', expiry: '2027-06-30', qty: 5 },
      { location: loc, lot: 'L1', expiry: '2027-12-31', qty: 7 },
    ])
    const history = (await asAdmin('GET', `/api/inventory/${sku}/history`)).json<HistoryPage>()
    expect(history.items.map((m) => [m.type, m.qtyDelta, m.deviceId, m.actor])).toEqual([
      ['adjust', 5, null, 'sam'],
      ['count', -3, null, 'sam'],
      ['receive', 10, s.devices[0]!.deviceId, null],
    ])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('answers a held adjustment with the reason the stock core held it, as it would a scan', async () => {
    const [sku, loc] = [s.fixture.skus[1]!, s.fixture.locations[0]!]
    await scan({ type: 'receive', barcode: sku, location: loc, qty: 10 })
    const order = await hub().inject({
      method: 'POST',
      url: '/api/orders',
      headers: { 'idempotency-key': `adjust-test-${sku}`, ...bearer(s.fixture.keys.orders) },
      payload: { site: SITE, lines: [{ sku, qty: 6 }] },
    })
    expect(order.statusCode).toBe(201)
    // Made with an admin key: the key's name is the actor.
    const held = await asAdmin('POST', '/api/adjustments', adjustment({ sku, kind: 'set', qty: 2 }))
    expect(held.statusCode).toBe(200)
    const body = held.json<Adjustment>()
    expect(body).toMatchObject({ status: 'held', movement: null, actor: 'test-admin', held: { reasonCode: 'INSUFFICIENT_STOCK' } })
    expect(await auditOf(body.eventId)).toEqual([expect.objectContaining({ action: 'hold', actor: 'test-admin' })])
    expect((await s.inspect.levels()).find((l) => l.sku === sku)).toMatchObject({ onHand: 10, reserved: 6 })
  })

  it('refuses bad input with problem details, writing nothing; a viewer and another site are refused', async () => {
    const sku = s.fixture.skus[2]!
    await addPerson(hub(), 'vic', 'viewer')
    await addPerson(hub(), 'olga', 'supervisor', { sites: ['elsewhere'] })
    const [vic, olga] = await Promise.all([PersonClient.signIn(hub(), 'vic'), PersonClient.signIn(hub(), 'olga')])
    const before = await footprint()
    const refusals: [Partial<AdjustmentRequest> & Record<string, unknown>, number, string][] = [
      [{ kind: 'set', qty: -1 }, 400, 'ADJUSTMENT_QTY'],
      [{ kind: 'change', qty: 0 }, 400, 'ADJUSTMENT_QTY'],
      [{ kind: 'set', qty: 1, expiry: '2027-02-30', lot: 'L9' }, 400, 'EXPIRY_INVALID'],
      [{ kind: 'set', qty: 1, sku: 'NO-SUCH' }, 404, 'PRODUCT_NOT_FOUND'],
      [{ kind: 'set', qty: 1, location: 'NOWHERE' }, 404, 'LOCATION_NOT_FOUND'],
      [{ kind: 'set', qty: 1, reason: '' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'set', qty: 1, reason: '\u202eflehs eht ta detnuoc' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'set', qty: 1, actor: 'someone-else' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'set', qty: 1, lot: 'has space' }, 400, 'VALIDATION_FAILED'],
    ]
    for (const [fields, status, code] of refusals) {
      const answer = await asAdmin('POST', '/api/adjustments', adjustment({ sku, ...fields } as AdjustmentRequest))
      expect([answer.statusCode, answer.json<{ code: string }>().code], JSON.stringify(fields)).toEqual([status, code])
    }

    const byViewer = await vic.send('POST', '/api/adjustments', adjustment({ sku, kind: 'set', qty: 1 }))
    expect([byViewer.status, byViewer.body.code]).toEqual([403, 'FORBIDDEN_ROLE'])
    const otherSite = await olga.send('POST', '/api/adjustments', adjustment({ sku, kind: 'set', qty: 1 }))
    expect([otherSite.status, otherSite.body.code]).toEqual([403, 'FORBIDDEN_SITE'])
    expect(await footprint()).toEqual(before)
  })

  it('finds products by part of the SKU or name in any case, or by a GTIN', async () => {
    const search = async (q: string) =>
      (await asAdmin('GET', `/api/inventory?site=${SITE}&search=${encodeURIComponent(q)}`)).json<InventoryPage>().items.map((i) => i.sku)
    expect(await search(s.fixture.gtins[3]!)).toEqual([s.fixture.skus[3]])
    expect(await search(`product ${s.fixture.skus[3]!.toLowerCase()}`)).toEqual([s.fixture.skus[3]])
  })
})
