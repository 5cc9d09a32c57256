import { describe, expect, it } from 'vitest'
import type { Ack, HeldEvent, ScanEvent } from '@wh/shared'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('held', { products: 2, locations: 2, devices: 1 })

const api = (method: string, url: string, payload?: object) =>
  s.hubs[0]!.inject({ method, url, headers: bearer(s.fixture.keys.admin), ...(payload ? { payload } : {}) })

/** Sends events and waits for their first acks. */
const scan = (...events: ScanEvent[]): Promise<Ack[]> => s.devices[0]!.send(events)

async function heldFor(eventId: string): Promise<HeldEvent> {
  const page = (await api('GET', '/api/held-events?status=pending')).json() as { items: HeldEvent[] }
  return page.items.find((h) => h.eventId === eventId)!
}

const count = async (sql: string, params: unknown[] = []) => Number((await s.inspect.rows<{ n: number }>(sql, params))[0]!.n)

describe('held events: an admin approves or rejects what the hub could not apply', () => {
  it('approves a late offline pick after a recount: count then pick in the ledger, audited, the device told', async () => {
    const device = s.devices[0]!
    const [sku, location] = [s.fixture.skus[0]!, s.fixture.locations[0]!]
    const receive = device.event({ type: 'receive', barcode: sku, location, qty: 5 })
    const pick = device.event({ type: 'pick', barcode: sku, location, qty: 8 })
    const [received, held] = await scan(receive, pick)
    expect(received!.status).toBe('applied')
    expect(held).toMatchObject({ status: 'held', code: 'INSUFFICIENT_STOCK', onHand: 5 })

    const listed = await heldFor(pick.eventId)
    expect(listed).toMatchObject({
      type: 'pick',
      sku,
      site: SITE,
      location,
      qty: 8,
      status: 'pending',
      reasonCode: 'INSUFFICIENT_STOCK',
      stockNow: { onHand: 5, available: 5 },
    })

    // Approving as it is still oversells: refused, and nothing at all is written.
    const refused = await api('POST', `/api/held-events/${listed.id}/approve`, { reason: 'try as is' })
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'HELD_STILL_UNAPPLIABLE' })
    expect(await count('SELECT COUNT(*) AS n FROM stock_movements')).toBe(1)
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE entity <> 'api_key'")).toBe(0)

    // The body cannot name who decided: the audit names the caller (here the key).
    const naming = await api('POST', `/api/held-events/${listed.id}/approve`, { reason: 'x', actor: 'ana', countedOnHand: 10 })
    expect(naming.statusCode).toBe(400)
    expect(naming.json()).toMatchObject({ code: 'VALIDATION_FAILED' })

    const approved = await api('POST', `/api/held-events/${listed.id}/approve`, { reason: 'found 10 on the shelf', countedOnHand: 10 })
    expect(approved.statusCode).toBe(200)
    expect(approved.json()).toMatchObject({
      held: { status: 'approved', decidedBy: 'test-admin', decisionReason: 'found 10 on the shelf', stockNow: { onHand: 2, available: 2 } },
      onHand: 2,
      available: 2,
    })

    const ledger = await s.inspect.rows(
      `SELECT event_id, type, qty_delta, on_hand_after, triggered_by, device_seq FROM stock_movements WHERE id > 1 ORDER BY id`,
    )
    expect(ledger).toEqual([
      { event_id: expect.any(String), type: 'count', qty_delta: 5, on_hand_after: 10, triggered_by: 'approval', device_seq: null },
      { event_id: pick.eventId, type: 'pick', qty_delta: -8, on_hand_after: 2, triggered_by: 'approval', device_seq: null },
    ])
    const audit = await s.inspect.rows<{ entity_id: string; action: string; actor: string; after: string }>(
      "SELECT entity_id, action, actor, `after` FROM audit_log WHERE entity <> 'api_key'",
    )
    expect(audit).toMatchObject([{ entity_id: pick.eventId, action: 'approve', actor: 'test-admin' }])
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ status: 'approved', countedOnHand: 10, onHand: 2 })
    expect(await s.inspect.inconsistencies()).toEqual([])

    // The device hears the decision, and a resend of the event is a duplicate of the applied pick.
    await device.waitFor(() => device.acksFor(pick.eventId).some((a) => a.status === 'applied'))
    await device.publish(pick)
    await device.waitFor(() => device.acksFor(pick.eventId).some((a) => a.status === 'duplicate'))
    expect(device.acksFor(pick.eventId).at(-1)).toMatchObject({ status: 'duplicate', settledAs: 'applied' })
    expect(await count('SELECT COUNT(*) AS n FROM stock_movements WHERE event_id = ?', [pick.eventId])).toBe(1)

    const again = await api('POST', `/api/held-events/${listed.id}/approve`, { reason: 'twice' })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'HELD_DECIDED' })
  })

  it('rejects a held event: nothing applied, audited, the device told, and a resend stays rejected', async () => {
    const device = s.devices[0]!
    const [sku, location] = [s.fixture.skus[1]!, s.fixture.locations[1]!]
    const pick = device.event({ type: 'pick', barcode: sku, location, qty: 3 })
    await scan(pick)
    const { id } = await heldFor(pick.eventId)
    const before = await count('SELECT COUNT(*) AS n FROM stock_movements')

    const rejected = await api('POST', `/api/held-events/${id}/reject`, { reason: 'scanned the wrong bin' })
    expect(rejected.statusCode).toBe(200)
    expect(rejected.json()).toMatchObject({ held: { status: 'rejected', decidedBy: 'test-admin' }, onHand: 0 })
    expect(await count('SELECT COUNT(*) AS n FROM stock_movements')).toBe(before)
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'reject'`, [pick.eventId])).toBe(1)

    await device.waitFor(() => device.acksFor(pick.eventId).some((a) => a.status === 'rejected'))
    expect(device.acksFor(pick.eventId).at(-1)).toMatchObject({ status: 'rejected', code: 'HELD_REJECTED' })
    await device.publish(pick)
    await device.waitFor(() => device.acksFor(pick.eventId).some((a) => a.status === 'duplicate'))
    expect(device.acksFor(pick.eventId).at(-1)).toMatchObject({ settledAs: 'rejected' })

    expect((await api('POST', `/api/held-events/${id}/approve`, { reason: 'changed my mind' })).statusCode).toBe(409)
    expect((await api('GET', '/api/held-events?status=rejected')).json().items.map((h: HeldEvent) => h.eventId)).toContain(pick.eventId)
    expect((await api('GET', `/api/held-events?status=rejected&site=${SITE}`)).json().items.map((h: HeldEvent) => h.eventId)).toContain(
      pick.eventId,
    )
    expect((await api('GET', '/api/held-events?status=rejected&site=elsewhere')).json().items).toEqual([])
  })

  it('receives an over-receipt without its PO when the admin says so, leaving the PO line as it was', async () => {
    const device = s.devices[0]!
    const [sku, location] = [s.fixture.skus[1]!, s.fixture.locations[0]!]
    await s.inspect.db.query(`INSERT INTO purchase_orders (po_number, site) VALUES ('PO-H1', ?)`, [SITE])
    await s.inspect.db.query(
      `INSERT INTO po_lines (po_id, product_id, qty_ordered) SELECT id, 2, 4 FROM purchase_orders WHERE po_number = 'PO-H1'`,
    )
    const receipt = device.event({ type: 'receive', barcode: sku, location, qty: 6, poNumber: 'PO-H1' })
    expect((await scan(receipt))[0]).toMatchObject({ status: 'held', code: 'OVER_RECEIPT' })
    const { id } = await heldFor(receipt.eventId)

    const approved = await api('POST', `/api/held-events/${id}/approve`, { reason: 'supplier sent extra; keep it', withoutPo: true })
    expect(approved.statusCode).toBe(200)
    expect(await s.inspect.rows('SELECT qty_delta, po_number FROM stock_movements WHERE event_id = ?', [receipt.eventId])).toEqual([
      { qty_delta: 6, po_number: null },
    ])
    expect(await s.inspect.rows(`SELECT qty_received FROM po_lines`)).toEqual([{ qty_received: 0 }])
    expect(await s.inspect.inconsistencies()).toEqual([])
    expect(await s.inspect.cache.read(SITE, sku)).toMatchObject({ onHand: 6 })
  })

  it('answers 404 for an unknown held event and 400 for a decision without a reason', async () => {
    expect((await api('POST', '/api/held-events/999999/reject', { reason: 'x' })).statusCode).toBe(404)
    const bad = await api('POST', '/api/held-events/1/approve', { qty: 2 })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: '/body/reason', reason: expect.any(String) }] })
  })
})
