import { describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { eventually } from '../helpers/eventually.ts'
import { purchaseOrderKit } from '../helpers/purchase-orders.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('po-renumber', { products: 6, locations: 2, devices: 1 })
const { api, supervisor, create, poId, auditOf, scanReceipt, receive, references, stockState } = purchaseOrderKit(s)

describe('renumbering', () => {
  it('rewrites the PO, its lots and its ledger rows in one transaction; stock, ledger sums and cache stay as they were', async () => {
    const [, , , a, b] = s.fixture.skus as [string, string, string, string, string]
    await create('PO-R1', [
      { sku: a, qty: 50 },
      { sku: b, qty: 50 },
    ])
    await create('PO-R9', [{ sku: a, qty: 50 }])
    // Receiving writes the PO number on each ledger row and on each lot it creates (lots named, so each is new).
    await receive(a, 5, 'PO-R1', { lot: 'R1A' })
    await receive(b, 7, 'PO-R1', { lot: 'R1B', location: s.fixture.locations[1] })
    await receive(a, 2, 'PO-R9', { lot: 'R9A' })
    const refsBefore = await references('PO-R1', 'PO-R2', 'PO-R9')
    expect(refsBefore).toEqual({
      'PO-R1': { po: 1, lots: 2, movements: 2 },
      'PO-R2': { po: 0, lots: 0, movements: 0 },
      'PO-R9': { po: 1, lots: 1, movements: 1 },
    })
    const linesBefore = (await api('GET', '/api/purchase-orders/PO-R1')).body.lines
    expect(linesBefore).toEqual([
      { sku: a, ordered: 50, received: 5, remaining: 45 },
      { sku: b, ordered: 50, received: 7, remaining: 43 },
    ])
    const stockBefore = await stockState()
    const id = (await poId('PO-R1'))!

    const asJDoe = await supervisor('j.doe')
    const renumbered = await asJDoe('POST', '/api/purchase-orders/PO-R1/renumber', {
      newPoNumber: 'PO-R2',
      reason: 'supplier reissued',
    })
    expect(renumbered).toEqual({
      status: 200,
      body: { poNumber: 'PO-R2', previousPoNumber: 'PO-R1', rewritten: { lots: 2, movements: 2 } },
    })
    expect(await references('PO-R1', 'PO-R2', 'PO-R9')).toEqual({
      'PO-R1': { po: 0, lots: 0, movements: 0 },
      'PO-R2': refsBefore['PO-R1'],
      'PO-R9': refsBefore['PO-R9'],
    })
    expect((await api('GET', '/api/purchase-orders/PO-R1')).status).toBe(404)
    expect((await api('GET', '/api/purchase-orders/PO-R2')).body.lines).toEqual(linesBefore)
    expect(await poId('PO-R2')).toBe(id)
    expect(await stockState()).toEqual(stockBefore)
    expect(await s.inspect.inconsistencies()).toEqual([])
    expect((await auditOf(id)).at(-1)).toEqual({
      action: 'renumber',
      actor: 'j.doe',
      reason: 'supplier reissued',
      before: { poNumber: 'PO-R1' },
      after: { poNumber: 'PO-R2', rewritten: { lots: 2, movements: 2 } },
    })

    // Receiving goes on under the new number, on the same lines; the old number is no PO any more.
    await receive(b, 1, 'PO-R2', { lot: 'R1B', location: s.fixture.locations[1] })
    expect((await api('GET', '/api/purchase-orders/PO-R2')).body.lines[1]).toEqual({ sku: b, ordered: 50, received: 8, remaining: 42 })
    expect(await scanReceipt(b, 1, 'PO-R1')).toMatchObject({ status: 'held', code: 'UNKNOWN_PO' })
    expect((await references('PO-R2'))['PO-R2']).toEqual({ po: 1, lots: 2, movements: 3 })
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('a refused or failed renumber changes nothing', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-F1', [{ sku: a, qty: 10 }])
    await create('PO-F2', [{ sku: a, qty: 10 }])
    await receive(a, 1, 'PO-F1')
    // Stock received under a number no PO has: taking it would merge that history into PO-F1's.
    const [product] = await s.inspect.rows<{ id: number }>('SELECT id FROM products WHERE sku = ?', [a])
    const [loc] = await s.inspect.rows<{ id: number }>('SELECT id FROM locations WHERE code = ?', [s.fixture.locations[1]])
    await s.inspect.db.query(
      "INSERT INTO lots (product_id, location_id, lot_code, qty, po_number) VALUES (?, ?, 'LOT-ORPH', 0, 'PO-ORPHAN')",
      [product!.id, loc!.id],
    )
    const snapshot = async () => ({
      refs: await references('PO-F1', 'PO-F2', 'PO-F3', 'PO-ORPHAN'),
      audit: await s.inspect.rows('SELECT COUNT(*) AS n FROM audit_log'),
      stock: await stockState(),
    })
    const before = await snapshot()
    const refused: [string, object, number, string][] = [
      ['PO-F1', { newPoNumber: 'PO-F2', reason: 'typo' }, 409, 'PO_NUMBER_TAKEN'],
      ['PO-F1', { newPoNumber: 'PO-ORPHAN', reason: 'typo' }, 409, 'PO_NUMBER_TAKEN'],
      ['PO-F1', { newPoNumber: 'PO-F1', reason: 'typo' }, 400, 'SAME_PO_NUMBER'],
      ['PO-NONE', { newPoNumber: 'PO-F3', reason: 'typo' }, 404, 'PO_NOT_FOUND'],
      ['PO-F1', { newPoNumber: 'PO F3', reason: 'typo' }, 400, 'VALIDATION_FAILED'],
      ['PO-F1', { newPoNumber: 'PO-F3' }, 400, 'VALIDATION_FAILED'],
      ['PO-F1', { newPoNumber: 'PO-F3', reason: '' }, 400, 'VALIDATION_FAILED'],
    ]
    for (const [from, body, status, code] of refused) {
      const answer = await api('POST', `/api/purchase-orders/${from}/renumber`, body)
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code })
    }
    expect(await snapshot()).toEqual(before)

    // A failure after the PO and lot rows were rewritten, at the ledger rows: all of it is rolled back.
    await s.inspect.db.query(
      "CREATE TRIGGER fail_po_renumber BEFORE UPDATE ON stock_movements FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'",
    )
    try {
      const failed = await api('POST', '/api/purchase-orders/PO-F1/renumber', { newPoNumber: 'PO-F3', reason: 'typo' })
      // The database's own error (its code and text) stays in the log.
      expect(failed).toMatchObject({ status: 500, body: { title: 'Internal Server Error', code: 'INTERNAL_ERROR' } })
      expect(JSON.stringify(failed.body)).not.toMatch(/injected|45000|ER_/)
    } finally {
      await s.inspect.db.query('DROP TRIGGER fail_po_renumber')
    }
    expect(await snapshot()).toEqual(before)
  })

  it('receipts racing a renumber: each lands under the new number or is held as unknown; none keeps the old one', async () => {
    const sku = s.fixture.skus[5]!
    await create('PO-Z1', [{ sku, qty: 1000 }])
    const device = s.devices[0]!
    const events: ScanEvent[] = []
    let renumbered = false
    // A steady stream of receipts under the old number, going on for 10 more after the renumber committed.
    const publishing = (async () => {
      for (let after = 0; after < 10 && events.length < 500;) {
        // Read before publishing: only a receipt sent once the renumber had answered counts as after it.
        const late = renumbered
        const event = device.event({ type: 'receive', barcode: sku, location: s.fixture.locations[0]!, qty: 2, poNumber: 'PO-Z1' })
        events.push(event)
        await device.publish(event)
        if (late) after++
        await new Promise((r) => setTimeout(r, 15))
      }
    })()
    // Renumber once the first receipts are in, while the rest are still arriving.
    await eventually('the first receipt', async () => (await references('PO-Z1'))['PO-Z1']!.movements > 0, 20_000)
    expect((await api('POST', '/api/purchase-orders/PO-Z1/renumber', { newPoNumber: 'PO-Z2', reason: 'race' })).status).toBe(200)
    renumbered = true
    await publishing
    await device.waitFor((acks) => events.every((e) => acks.some((a) => a.eventId === e.eventId)))

    const outcomes = events.map((e) => device.acksFor(e.eventId)[0]!)
    const applied = outcomes.filter((o) => o.status === 'applied').length
    expect(outcomes.filter((o) => o.status !== 'applied').every((o) => o.status === 'held' && o.code === 'UNKNOWN_PO')).toBe(true)
    expect(applied).toBeGreaterThan(0)
    expect(applied).toBeLessThanOrEqual(events.length - 10)
    expect(await references('PO-Z1', 'PO-Z2')).toEqual({
      'PO-Z1': { po: 0, lots: 0, movements: 0 },
      'PO-Z2': { po: 1, lots: expect.any(Number), movements: applied },
    })
    expect((await api('GET', '/api/purchase-orders/PO-Z2')).body.lines).toEqual([
      { sku, ordered: 1000, received: 2 * applied, remaining: 1000 - 2 * applied },
    ])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('two renumbers racing for one number: one wins, the other is refused', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-X1', [{ sku: a, qty: 1 }])
    await create('PO-X2', [{ sku: a, qty: 1 }])
    const answers = await Promise.all(
      ['PO-X1', 'PO-X2'].map((n) => api('POST', `/api/purchase-orders/${n}/renumber`, { newPoNumber: 'PO-X3', reason: 'merge' })),
    )
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409])
    expect((await references('PO-X1', 'PO-X2', 'PO-X3'))['PO-X3']!.po).toBe(1)
  })
})
