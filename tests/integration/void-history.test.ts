import { describe, expect, it } from 'vitest'
import type { VoidRefusal, VoidResult } from '@wh/shared'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { scanIntoLedger } from '../helpers/ledger-scan.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('voidhistory', { products: 8, locations: 3, devices: 1 })
const hub = () => s.hubs[0]!

const scan = (fields: Parameters<typeof scanIntoLedger>[1]) => scanIntoLedger(s, fields)

const voidIt = (id: number | string, body: object = { reason: 'scanned the wrong pallet' }) =>
  hub().inject({ method: 'POST', url: `/api/movements/${id}/void`, headers: bearer(s.fixture.keys.admin), payload: body })
const get = (url: string) => hub().inject({ method: 'GET', url, headers: bearer(s.fixture.keys.admin) })

async function onHand(sku: string) {
  const rows = (await s.inspect.levels()).filter((l) => l.sku === sku)
  return Object.fromEntries(rows.map((l) => [l.location, { onHand: l.onHand, reserved: l.reserved }]))
}

/** Everything a void writes, to show a refused one wrote nothing. */
async function footprint() {
  const [counts] = await s.inspect.rows<Record<string, number>>(
    `SELECT (SELECT COUNT(*) FROM stock_movements) AS movements, (SELECT COUNT(*) FROM audit_log) AS audits,
            (SELECT COUNT(*) FROM lot_movements) AS lotMovements, (SELECT COALESCE(SUM(qty), 0) FROM lots) AS lotQty,
            (SELECT COALESCE(SUM(version), 0) FROM stock_levels) AS versions`,
  )
  return { counts, levels: await s.inspect.levels() }
}

async function auditOf(movementId: number) {
  return s.inspect.rows<{ action: string; actor: string; reason: string; before: string; after: string }>(
    "SELECT action, actor, reason, `before`, `after` FROM audit_log WHERE entity = 'movement' AND entity_id = ?",
    [String(movementId)],
  )
}

/** I1 and I5 after every void: ledger sum = level = lots = cache, per product and location. */
async function consistent() {
  expect(await s.inspect.inconsistencies()).toEqual([])
}

describe('voiding a movement', () => {
  it('voids a receive: levels back, both rows in the ledger, audited, cache updated; a second void is refused and writes nothing', async () => {
    const [sku, loc] = [s.fixture.skus[0]!, s.fixture.locations[0]!]
    const [receipt] = await scan({ type: 'receive', barcode: `(01)${s.fixture.gtins[0]}(10)LOT-7(17)271231(37)10`, location: loc })
    expect(await onHand(sku)).toEqual({ [loc]: { onHand: 10, reserved: 0 } })

    const res = await voidIt(receipt!.id)
    expect(res.statusCode).toBe(201)
    const body = res.json<VoidResult>()
    expect(body.voided).toEqual([receipt!.id])
    expect(body.movements).toEqual([
      expect.objectContaining({ type: 'void', triggeredBy: 'void', sku, location: loc, qtyDelta: -10, onHandAfter: 0, lot: 'LOT-7' }),
    ])
    expect(body.movements[0]!.voidsMovementId).toBe(receipt!.id)
    expect(body.levels).toEqual([{ location: loc, onHand: 0, reserved: 0, available: 0, version: 2 }])

    const ledger = await s.inspect.rows<{ id: number; type: string; qty_delta: number; voids_movement_id: number | null }>(
      'SELECT m.id, m.type, m.qty_delta, m.voids_movement_id FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE p.sku = ? ORDER BY m.id',
      [sku],
    )
    expect(ledger).toEqual([
      { id: receipt!.id, type: 'receive', qty_delta: 10, voids_movement_id: null },
      { id: body.movements[0]!.id, type: 'void', qty_delta: -10, voids_movement_id: receipt!.id },
    ])
    expect(await onHand(sku)).toEqual({ [loc]: { onHand: 0, reserved: 0 } })
    expect((await s.inspect.cache.read(SITE, sku))?.locations[loc]).toEqual({ onHand: 0, reserved: 0, available: 0 })
    const [audit, ...more] = await auditOf(receipt!.id)
    expect(more).toEqual([])
    // The actor is the checked caller (the admin key's name), never a body's word.
    expect(audit).toMatchObject({ action: 'void', actor: 'test-admin', reason: 'scanned the wrong pallet' })
    expect(JSON.parse(audit!.before).levels).toEqual([{ sku, location: loc, onHand: 10, reserved: 0, version: 1 }])
    expect(JSON.parse(audit!.after).levels).toEqual([{ sku, location: loc, onHand: 0, reserved: 0, version: 2 }])
    await consistent()

    const before = await footprint()
    const again = await voidIt(receipt!.id)
    expect(again.statusCode).toBe(409)
    expect(again.json<VoidRefusal>().code).toBe('MOVEMENT_ALREADY_VOIDED')
    expect(await footprint()).toEqual(before)

    // A void cannot itself be voided.
    const voidOfVoid = await voidIt(body.movements[0]!.id)
    expect(voidOfVoid.statusCode).toBe(409)
    expect(voidOfVoid.json<VoidRefusal>().code).toBe('MOVEMENT_IS_VOID')
    expect(await footprint()).toEqual(before)
  })

  it('voids a pick: the stock is back where it was picked', async () => {
    const [sku, loc] = [s.fixture.skus[1]!, s.fixture.locations[0]!]
    await scan({ type: 'receive', barcode: sku, location: loc, qty: 10 })
    const [pick] = await scan({ type: 'pick', barcode: sku, location: loc, qty: 4 })
    const res = await voidIt(pick!.id, { reason: 'picked for the wrong order' })
    expect(res.statusCode).toBe(201)
    expect(res.json<VoidResult>().movements).toEqual([expect.objectContaining({ type: 'void', qtyDelta: 4, onHandAfter: 10 })])
    expect(await onHand(sku)).toEqual({ [loc]: { onHand: 10, reserved: 0 } })
    expect((await s.inspect.cache.read(SITE, sku))?.onHand).toBe(10)
    expect(await auditOf(pick!.id)).toEqual([
      expect.objectContaining({ action: 'void', actor: 'test-admin', reason: 'picked for the wrong order' }),
    ])
    await consistent()
  })

  it('voids a whole move whichever leg is named; the other leg is then voided too', async () => {
    const sku = s.fixture.skus[2]!
    const [from, to] = s.fixture.locations as [string, string]
    await scan({ type: 'receive', barcode: sku, location: from, qty: 10 })
    const [out, into] = await scan({ type: 'move', barcode: sku, location: from, toLocation: to, qty: 4 })
    expect(await onHand(sku)).toEqual({ [from]: { onHand: 6, reserved: 0 }, [to]: { onHand: 4, reserved: 0 } })

    const res = await voidIt(into!.id)
    expect(res.statusCode).toBe(201)
    const body = res.json<VoidResult>()
    expect(body.voided).toEqual([out!.id, into!.id])
    expect(body.movements.map((m) => [m.leg, m.location, m.qtyDelta, m.onHandAfter, m.voidsMovementId])).toEqual([
      [0, from, 4, 10, out!.id],
      [1, to, -4, 0, into!.id],
    ])
    expect(body.movements[0]!.eventId).toBe(body.movements[1]!.eventId)
    expect(await onHand(sku)).toEqual({ [from]: { onHand: 10, reserved: 0 }, [to]: { onHand: 0, reserved: 0 } })
    const cached = await s.inspect.cache.read(SITE, sku)
    expect([cached?.locations[from]?.onHand, cached?.locations[to]?.onHand]).toEqual([10, 0])
    expect(await auditOf(into!.id)).toHaveLength(1)
    await consistent()

    const before = await footprint()
    const other = await voidIt(out!.id)
    expect([other.statusCode, other.json<VoidRefusal>().code]).toEqual([409, 'MOVEMENT_ALREADY_VOIDED'])
    expect(await footprint()).toEqual(before)
  })

  it('refuses a void that would leave less on hand than there is, or than is reserved, and writes nothing', async () => {
    const [sku, loc] = [s.fixture.skus[3]!, s.fixture.locations[0]!]
    const [receipt] = await scan({ type: 'receive', barcode: sku, location: loc, qty: 5 })
    await scan({ type: 'pick', barcode: sku, location: loc, qty: 3 })
    let before = await footprint()
    const negative = await voidIt(receipt!.id)
    expect(negative.statusCode).toBe(409)
    expect(negative.json<VoidRefusal>()).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      details: [{ sku, location: loc, onHand: 2, reserved: 0, change: -5 }],
    })
    expect(await footprint()).toEqual(before)

    // 2 + 10 on hand, 8 of it reserved by an order: taking the 10 back would leave 2 for 8 reserved.
    const [second] = await scan({ type: 'receive', barcode: sku, location: loc, qty: 10 })
    const order = await hub().inject({
      method: 'POST',
      url: '/api/orders',
      headers: { 'idempotency-key': `void-test-${sku}`, ...bearer(s.fixture.keys.orders) },
      payload: { site: SITE, lines: [{ sku, qty: 8 }] },
    })
    expect(order.statusCode).toBe(201)
    before = await footprint()
    const belowReserved = await voidIt(second!.id)
    expect(belowReserved.statusCode).toBe(409)
    expect(belowReserved.json<VoidRefusal>().details).toEqual([{ sku, location: loc, onHand: 12, reserved: 8, change: -10 }])
    expect(await footprint()).toEqual(before)
    expect((await s.inspect.cache.read(SITE, sku))?.locations[loc]).toEqual({ onHand: 12, reserved: 8, available: 4 })
    await consistent()
  })

  it('gives back the lots a movement went through, and refuses when a lot no longer holds it', async () => {
    const [sku, loc] = [s.fixture.skus[6]!, s.fixture.locations[0]!]
    const gtin = s.fixture.gtins[6]!
    const [early] = await scan({ type: 'receive', barcode: `(01)${gtin}(10)LOT-A(17)270101(37)10`, location: loc })
    await scan({ type: 'receive', barcode: `(01)${gtin}(10)LOT-B(17)281231(37)10`, location: loc })
    const [pick] = await scan({ type: 'pick', barcode: sku, location: loc, qty: 5 }) // FEFO: from LOT-A
    const lotQty = async () =>
      Object.fromEntries(
        (
          await s.inspect.rows<{ lot_code: string; qty: number }>(
            'SELECT t.lot_code, t.qty FROM lots t JOIN products p ON p.id = t.product_id WHERE p.sku = ? ORDER BY t.lot_code',
            [sku],
          )
        ).map((r) => [r.lot_code, r.qty]),
      )
    expect(await lotQty()).toEqual({ 'LOT-A': 5, 'LOT-B': 10 })

    const before = await footprint()
    const res = await voidIt(early!.id)
    expect(res.statusCode).toBe(409)
    expect(res.json<VoidRefusal>()).toMatchObject({
      code: 'LOT_SHORT',
      details: [{ sku, location: loc, lot: 'LOT-A', onHand: 5, change: -10 }],
    })
    expect(await footprint()).toEqual(before)

    const voided = await voidIt(pick!.id)
    expect(voided.statusCode).toBe(201)
    expect(await lotQty()).toEqual({ 'LOT-A': 10, 'LOT-B': 10 })
    const [{ n }] = (await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM lot_movements WHERE event_id = ?', [
      voided.json<VoidResult>().movements[0]!.eventId,
    ])) as [{ n: number }]
    expect(n).toBe(1)
    await consistent()
  })

  it('reverses legs without lot rows through the unnamed lot, and refuses when that lot holds too little', async () => {
    const [sku, loc] = [s.fixture.skus[7]!, s.fixture.locations[1]!]
    const [receipt] = await scan({ type: 'receive', barcode: sku, location: loc, qty: 10 })
    const [pick] = await scan({ type: 'pick', barcode: sku, location: loc, qty: 4 })
    // Both went wholly through the unnamed lot, so the apply path wrote no lot rows for them; the
    // lots are then lost by hand (drift), leaving the unnamed lot short.
    const events = await s.inspect.rows<{ event_id: string }>('SELECT event_id FROM stock_movements WHERE id IN (?, ?)', [
      receipt!.id,
      pick!.id,
    ])
    await s.inspect.db.query('DELETE FROM lot_movements WHERE event_id IN (?)', [events.map((e) => e.event_id)])
    await s.inspect.db.query('DELETE t FROM lots t JOIN products p ON p.id = t.product_id WHERE p.sku = ?', [sku])

    expect((await voidIt(pick!.id)).statusCode).toBe(201)
    const unnamed = () =>
      s.inspect.rows<{ qty: number }>(
        "SELECT t.qty FROM lots t JOIN products p ON p.id = t.product_id WHERE p.sku = ? AND t.lot_code = ''",
        [sku],
      )
    expect(await unnamed()).toEqual([{ qty: 4 }])
    // Taking back 10 from an unnamed lot of 4 would leave the lots behind on hand: refused, nothing written.
    const refused = await voidIt(receipt!.id)
    expect(refused.statusCode).toBe(409)
    expect(refused.json<VoidRefusal>()).toMatchObject({
      code: 'LOT_SHORT',
      details: [{ sku, location: loc, lot: '', onHand: 4, change: -10 }],
    })
    expect(await unnamed()).toEqual([{ qty: 4 }])
    expect(await onHand(sku)).toEqual({ [loc]: { onHand: 10, reserved: 0 } })

    // Once the lots are put right (as reconciliation does), the void goes through.
    await s.inspect.db.query("UPDATE lots t JOIN products p ON p.id = t.product_id SET t.qty = 10 WHERE p.sku = ? AND t.lot_code = ''", [
      sku,
    ])
    expect((await voidIt(receipt!.id)).statusCode).toBe(201)
    expect(await onHand(sku)).toEqual({ [loc]: { onHand: 0, reserved: 0 } })
    await consistent()
  })

  it('lets exactly one of two concurrent voids of a move (one per leg) through', async () => {
    const sku = s.fixture.skus[2]!
    const [from, to] = s.fixture.locations as [string, string]
    const [out, into] = await scan({ type: 'move', barcode: sku, location: from, toLocation: to, qty: 3 })
    const answers = await Promise.all([voidIt(out!.id), voidIt(into!.id)])
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409])
    expect(answers.find((a) => a.statusCode === 409)!.json<VoidRefusal>().code).toBe('MOVEMENT_ALREADY_VOIDED')
    const voids = await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM stock_movements WHERE voids_movement_id IN (?, ?)', [
      out!.id,
      into!.id,
    ])
    expect(Number(voids[0]!.n)).toBe(2)
    expect(
      await s.inspect.rows('SELECT id FROM audit_log WHERE entity = ? AND entity_id IN (?, ?)', [
        'movement',
        String(out!.id),
        String(into!.id),
      ]),
    ).toHaveLength(1)
    await consistent()
  })

  it('answers 404 for an unknown movement and 400 for a bad request', async () => {
    expect((await voidIt(999_999_999)).statusCode).toBe(404)
    expect((await voidIt('abc')).statusCode).toBe(400)
    expect((await voidIt(1, { reason: '' })).statusCode).toBe(400)
    expect((await voidIt(1, { reason: 'x'.repeat(501) })).statusCode).toBe(400)
    expect((await voidIt(1, {})).statusCode).toBe(400)
    expect((await voidIt(1, { reason: 'scanned the wrong pallet', actor: 'jane' })).statusCode).toBe(400)
    const paths = (await get('/docs/json')).json<{ paths: Record<string, unknown> }>().paths
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/api/movements/{id}/void', '/api/inventory/{sku}/history', '/api/inventory/{sku}']),
    )
  })
})
