import { describe, expect, it } from 'vitest'
import type { PurchaseOrder, ScanEvent } from '@wh/shared'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('purchase-orders', { products: 6, locations: 2, devices: 1 })

async function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object) {
  const response = await s.hubs[0]!.inject({ method, url, headers: bearer(s.fixture.keys.admin), ...(body ? { payload: body } : {}) })
  return { status: response.statusCode, body: response.body ? response.json() : undefined }
}

const create = (poNumber: string, lines: { sku: string; qty: number }[], extra: object = {}) =>
  api('POST', '/api/purchase-orders', { poNumber, site: SITE, lines, ...extra })

const poId = async (poNumber: string) =>
  (await s.inspect.rows<{ id: number }>('SELECT id FROM purchase_orders WHERE po_number = ?', [poNumber]))[0]?.id

async function auditOf(id: number) {
  const rows = await s.inspect.rows<{ action: string; actor: string; reason: string | null; before: string | null; after: string | null }>(
    "SELECT action, actor, reason, `before`, `after` FROM audit_log WHERE entity = 'purchase_order' AND entity_id = ? ORDER BY id",
    [String(id)],
  )
  return rows.map((r) => ({ ...r, before: r.before && JSON.parse(r.before), after: r.after && JSON.parse(r.after) }))
}

/** A real receipt through MQTT, the queues and the apply path, with the PO number on the scan; returns its ack. */
async function scanReceipt(sku: string, qty: number, poNumber: string, options: { location?: string; lot?: string } = {}) {
  const device = s.devices[0]!
  const location = options.location ?? s.fixture.locations[0]!
  const event = device.event({ type: 'receive', barcode: sku, location, qty, poNumber, ...(options.lot ? { lot: options.lot } : {}) })
  await device.publish(event)
  const acks = await device.waitFor((all) => all.some((a) => a.eventId === event.eventId))
  return acks.find((a) => a.eventId === event.eventId)!
}

async function receive(sku: string, qty: number, poNumber: string, options: { location?: string; lot?: string } = {}) {
  expect(await scanReceipt(sku, qty, poNumber, options)).toMatchObject({ status: 'applied' })
}

/** Rows carrying each PO number, across the PO table and its denormalized copies. */
async function references(...numbers: string[]) {
  const count = async (table: string, n: string) =>
    Number((await s.inspect.rows<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE po_number = ?`, [n]))[0]!.n)
  return Object.fromEntries(
    await Promise.all(
      numbers.map(async (n) => [
        n,
        { po: await count('purchase_orders', n), lots: await count('lots', n), movements: await count('stock_movements', n) },
      ]),
    ),
  )
}

/** Everything stock-related a renumber must leave alone: levels, ledger sums, lot quantities and the live cache. */
async function stockState() {
  const cache = await Promise.all(s.fixture.skus.map((sku) => s.inspect.cache.read(sku)))
  const lots = await s.inspect.rows('SELECT product_id, location_id, lot_code, qty FROM lots ORDER BY id')
  return { levels: await s.inspect.levels(), ledger: await s.inspect.ledgerSums(), lots, cache }
}

describe('create and read', () => {
  it('creates a PO with its lines, reads it back with remaining quantities, and audits the creation', async () => {
    const [a, b] = s.fixture.skus as [string, string]
    const created = await create(
      'PO-C1',
      [
        { sku: a, qty: 10 },
        { sku: b, qty: 4 },
      ],
      { supplier: 'Acme', expectedAt: '2026-03-02' },
    )
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ poNumber: 'PO-C1', site: SITE, supplier: 'Acme', status: 'open', expectedAt: '2026-03-02' })
    const got = await api('GET', '/api/purchase-orders/PO-C1')
    expect(got.body.lines).toEqual([
      { sku: a, ordered: 10, received: 0, remaining: 10 },
      { sku: b, ordered: 4, received: 0, remaining: 4 },
    ])
    const [entry] = await auditOf((await poId('PO-C1'))!)
    expect(entry).toMatchObject({
      action: 'create',
      actor: 'test-admin',
      before: null,
      after: { poNumber: 'PO-C1', lines: expect.any(Array) },
    })
  })

  it('refuses a taken number (409), an unknown SKU (422, named), a SKU twice (400), bad input (400) and writes nothing', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-C2', [{ sku: a, qty: 1 }])
    const before = await s.inspect.rows('SELECT COUNT(*) AS n FROM purchase_orders')
    const cases: [object, number, string][] = [
      [{ poNumber: 'PO-C2', site: SITE, lines: [{ sku: a, qty: 1 }] }, 409, 'PO_NUMBER_TAKEN'],
      [
        {
          poNumber: 'PO-C3',
          site: SITE,
          lines: [
            { sku: a, qty: 1 },
            { sku: 'NOPE-9', qty: 1 },
          ],
        },
        422,
        'UNKNOWN_SKU',
      ],
      [{ poNumber: 'PO-C3', site: 'elsewhere', lines: [{ sku: a, qty: 1 }] }, 422, 'UNKNOWN_SITE'],
      [
        {
          poNumber: 'PO-C3',
          site: SITE,
          lines: [
            { sku: a, qty: 1 },
            { sku: a, qty: 2 },
          ],
        },
        400,
        'DUPLICATE_SKU',
      ],
      [{ poNumber: 'PO-C3', site: SITE, lines: [] }, 400, 'FST_ERR_VALIDATION'],
      [{ poNumber: 'PO-C3', site: SITE, lines: [{ sku: a, qty: 0 }] }, 400, 'FST_ERR_VALIDATION'],
      [{ poNumber: 'PO-C3', site: SITE, lines: [{ sku: a, qty: 1_000_001 }] }, 400, 'FST_ERR_VALIDATION'],
      [{ poNumber: 'PO-C3', site: SITE, lines: [{ sku: a, qty: 1.5 }] }, 400, 'FST_ERR_VALIDATION'],
      [{ poNumber: 'PO C3; DROP', site: SITE, lines: [{ sku: a, qty: 1 }] }, 400, 'FST_ERR_VALIDATION'],
      [{ poNumber: 'PO-C3', site: SITE, expectedAt: '2026-02-30', lines: [{ sku: a, qty: 1 }] }, 400, 'FST_ERR_VALIDATION'],
      [
        { poNumber: 'PO-C3', site: SITE, lines: Array.from({ length: 501 }, (_, i) => ({ sku: `S${i}`, qty: 1 })) },
        400,
        'FST_ERR_VALIDATION',
      ],
    ]
    for (const [body, status, code] of cases) {
      const answer = await api('POST', '/api/purchase-orders', body)
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code })
      expect(answer.body.error).toEqual(expect.any(String))
    }
    const unknown = await create('PO-C3', [
      { sku: a, qty: 1 },
      { sku: 'NOPE-9', qty: 1 },
    ])
    expect(unknown.body.error).toContain('NOPE-9')
    expect(await s.inspect.rows('SELECT COUNT(*) AS n FROM purchase_orders')).toEqual(before)
    expect(await s.inspect.rows("SELECT id FROM purchase_orders WHERE po_number = 'PO-C3'")).toEqual([])
    expect(await api('GET', '/api/purchase-orders/PO-NONE')).toEqual({
      status: 404,
      body: { error: 'No purchase order has this number: PO-NONE', code: 'PO_NOT_FOUND' },
    })
  })

  it('is described in the OpenAPI document', async () => {
    const doc = await api('GET', '/docs/json')
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/purchase-orders', '/api/purchase-orders/{poNumber}', '/api/purchase-orders/{poNumber}/renumber']),
    )
  })

  it('lists by status and site, a page at a time', async () => {
    const [a] = s.fixture.skus as [string]
    for (const n of ['PO-L1', 'PO-L2', 'PO-L3']) await create(n, [{ sku: a, qty: 2 }])
    await api('POST', '/api/purchase-orders/PO-L2/close')
    const open = await api('GET', `/api/purchase-orders?status=open&site=${SITE}&limit=500`)
    const numbers = open.body.items.map((p: { poNumber: string }) => p.poNumber)
    expect(numbers).toEqual(expect.arrayContaining(['PO-L1', 'PO-L3']))
    expect(numbers).not.toContain('PO-L2')
    expect(open.body.items.find((p: { poNumber: string }) => p.poNumber === 'PO-L1')).toMatchObject({
      lineCount: 1,
      ordered: 2,
      received: 0,
    })
    const closed = await api('GET', '/api/purchase-orders?status=closed')
    expect(closed.body.items.map((p: { poNumber: string }) => p.poNumber)).toContain('PO-L2')
    expect((await api('GET', '/api/purchase-orders?site=nowhere')).body).toEqual({ items: [], next: null })

    const seen: string[] = []
    let after: string | null = ''
    while (after !== null) {
      const page: { body: { items: { poNumber: string }[]; next: string | null } } = await api(
        'GET',
        `/api/purchase-orders?limit=2${after ? `&after=${after}` : ''}`,
      )
      expect(page.body.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.body.items.map((p) => p.poNumber))
      after = page.body.next
    }
    expect(seen).toEqual([...seen].sort())
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toEqual(expect.arrayContaining(['PO-L1', 'PO-L2', 'PO-L3']))
    expect((await api('GET', '/api/purchase-orders?status=lost')).status).toBe(400)
  })
})

describe('amending an open PO', () => {
  it('changes supplier, date and quantities, adds and removes lines in one audited change', async () => {
    const [a, b, c] = s.fixture.skus as [string, string, string]
    await create(
      'PO-U1',
      [
        { sku: a, qty: 10 },
        { sku: b, qty: 5 },
      ],
      { supplier: 'Acme', expectedAt: '2026-03-02' },
    )
    const patched = await api('PATCH', '/api/purchase-orders/PO-U1', {
      supplier: 'Acme Ltd',
      expectedAt: null,
      lines: [
        { sku: a, qty: 12 },
        { sku: c, qty: 3 },
      ],
      removeSkus: [b],
      actor: 'j.doe',
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ supplier: 'Acme Ltd', expectedAt: null })
    expect((patched.body as PurchaseOrder).lines).toEqual([
      { sku: a, ordered: 12, received: 0, remaining: 12 },
      { sku: c, ordered: 3, received: 0, remaining: 3 },
    ])
    const updates = (await auditOf((await poId('PO-U1'))!)).filter((e) => e.action === 'update')
    expect(updates).toEqual([
      expect.objectContaining({
        actor: 'j.doe',
        before: expect.objectContaining({
          supplier: 'Acme',
          expectedAt: '2026-03-02',
          lines: [
            { sku: a, ordered: 10, received: 0 },
            { sku: b, ordered: 5, received: 0 },
          ],
        }),
        after: expect.objectContaining({
          supplier: 'Acme Ltd',
          expectedAt: null,
          lines: [
            { sku: a, ordered: 12, received: 0 },
            { sku: c, ordered: 3, received: 0 },
          ],
        }),
      }),
    ])
  })

  it('never below what was received, never removes a line with receipts, and a refused change writes nothing', async () => {
    const [a, b] = s.fixture.skus as [string, string]
    await create('PO-U2', [
      { sku: a, qty: 10 },
      { sku: b, qty: 5 },
    ])
    // Received quantities as the receipt path records them.
    await s.inspect.db.query(
      'UPDATE po_lines l JOIN products p ON p.id = l.product_id SET l.qty_received = 6 WHERE p.sku = ? AND l.po_id = ?',
      [a, await poId('PO-U2')],
    )
    const before = await api('GET', '/api/purchase-orders/PO-U2')
    const refused: [object, number, string][] = [
      [{ lines: [{ sku: a, qty: 5 }] }, 409, 'QTY_BELOW_RECEIVED'],
      [{ removeSkus: [a] }, 409, 'LINE_HAS_RECEIPTS'],
      [{ removeSkus: [s.fixture.skus[5]!] }, 422, 'NOT_ON_PO'],
      [{ supplier: 'X', lines: [{ sku: 'NOPE-1', qty: 1 }] }, 422, 'UNKNOWN_SKU'],
      [{ lines: [{ sku: b, qty: 1 }], removeSkus: [b] }, 400, 'DUPLICATE_SKU'],
      [{ expectedAt: '2026-13-01' }, 400, 'FST_ERR_VALIDATION'],
      [{ actor: 'j.doe' }, 400, 'NOTHING_TO_CHANGE'],
      // A supplier change ahead of a refused line: the whole request is refused.
      [
        {
          supplier: 'Other',
          lines: [
            { sku: b, qty: 7 },
            { sku: a, qty: 1 },
          ],
        },
        409,
        'QTY_BELOW_RECEIVED',
      ],
    ]
    for (const [body, status, code] of refused) {
      const answer = await api('PATCH', '/api/purchase-orders/PO-U2', body)
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code })
    }
    expect(await api('GET', '/api/purchase-orders/PO-U2')).toEqual(before)
    expect((await auditOf((await poId('PO-U2'))!)).map((e) => e.action)).toEqual(['create'])

    const down = await api('PATCH', '/api/purchase-orders/PO-U2', { lines: [{ sku: a, qty: 6 }], removeSkus: [b] })
    expect(down.body.lines).toEqual([{ sku: a, ordered: 6, received: 6, remaining: 0 }])
    expect((await api('PATCH', '/api/purchase-orders/PO-U2', { removeSkus: [a] })).body.code).toBe('LINE_HAS_RECEIPTS')
    expect((await api('PATCH', '/api/purchase-orders/PO-NONE', { supplier: 'X' })).status).toBe(404)
  })
})

describe('close, cancel and delete', () => {
  it('cancels or deletes a PO nothing was received against; only an open PO is amended, closed or cancelled', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-K1', [{ sku: a, qty: 3 }])
    const cancelled = await api('POST', '/api/purchase-orders/PO-K1/cancel', { reason: 'supplier out of stock' })
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } })
    for (const [method, url, body] of [
      ['POST', '/api/purchase-orders/PO-K1/cancel', undefined],
      ['POST', '/api/purchase-orders/PO-K1/close', undefined],
      ['PATCH', '/api/purchase-orders/PO-K1', { supplier: 'X' }],
    ] as const) {
      expect(await api(method, url, body)).toMatchObject({ status: 409, body: { code: 'PO_NOT_OPEN' } })
    }
    const id = (await poId('PO-K1'))!
    expect(await api('DELETE', '/api/purchase-orders/PO-K1')).toMatchObject({ status: 204 })
    expect((await api('GET', '/api/purchase-orders/PO-K1')).status).toBe(404)
    expect(await s.inspect.rows('SELECT id FROM po_lines WHERE po_id = ?', [id])).toEqual([])
    expect((await auditOf(id)).map((e) => [e.action, e.reason])).toEqual([
      ['create', null],
      ['cancel', 'supplier out of stock'],
      ['delete', null],
    ])
    expect((await auditOf(id)).at(-1)).toMatchObject({ before: { poNumber: 'PO-K1', status: 'cancelled' }, after: null })
    expect((await api('DELETE', '/api/purchase-orders/PO-K1')).status).toBe(404)
  })

  it('a PO with receipts cannot be cancelled or deleted, only closed; the ledger keeps pointing at it', async () => {
    const [, , a] = s.fixture.skus as [string, string, string]
    await create('PO-K2', [{ sku: a, qty: 20 }])
    await receive(a, 4, 'PO-K2')
    expect((await api('GET', '/api/purchase-orders/PO-K2')).body.lines).toEqual([{ sku: a, ordered: 20, received: 4, remaining: 16 }])
    expect(await api('POST', '/api/purchase-orders/PO-K2/cancel')).toMatchObject({
      status: 409,
      body: { code: 'PO_HAS_RECEIPTS', error: expect.stringContaining('has receipts: close it instead') },
    })
    expect(await api('DELETE', '/api/purchase-orders/PO-K2')).toMatchObject({ status: 409, body: { code: 'PO_HAS_RECEIPTS' } })
    expect(await api('POST', '/api/purchase-orders/PO-K2/close', { actor: 'lead.1' })).toMatchObject({
      status: 200,
      body: { status: 'closed' },
    })
    expect(await api('DELETE', '/api/purchase-orders/PO-K2')).toMatchObject({ status: 409, body: { code: 'PO_HAS_RECEIPTS' } })
    // Closed: nothing more is received against it; the receipt already made stays linked.
    expect(await scanReceipt(a, 1, 'PO-K2')).toMatchObject({ status: 'held', code: 'PO_NOT_OPEN' })
    expect((await references('PO-K2'))['PO-K2']).toMatchObject({ po: 1, movements: 1 })
    expect((await auditOf((await poId('PO-K2'))!)).map((e) => [e.action, e.actor])).toEqual([
      ['create', 'test-admin'],
      ['close', 'lead.1'],
    ])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('a received quantity on a line alone also keeps a PO from being deleted', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-K3', [{ sku: a, qty: 3 }])
    await s.inspect.db.query('UPDATE po_lines SET qty_received = 1 WHERE po_id = ?', [await poId('PO-K3')])
    expect(await api('DELETE', '/api/purchase-orders/PO-K3')).toMatchObject({ status: 409, body: { code: 'PO_HAS_RECEIPTS' } })
    expect(await api('POST', '/api/purchase-orders/PO-K3/cancel')).toMatchObject({ status: 409, body: { code: 'PO_HAS_RECEIPTS' } })
  })
})

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

    const renumbered = await api('POST', '/api/purchase-orders/PO-R1/renumber', {
      newPoNumber: 'PO-R2',
      reason: 'supplier reissued',
      actor: 'j.doe',
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
      ['PO-F1', { newPoNumber: 'PO F3', reason: 'typo' }, 400, 'FST_ERR_VALIDATION'],
      ['PO-F1', { newPoNumber: 'PO-F3' }, 400, 'FST_ERR_VALIDATION'],
      ['PO-F1', { newPoNumber: 'PO-F3', reason: '' }, 400, 'FST_ERR_VALIDATION'],
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
      expect(failed).toMatchObject({ status: 500, body: { error: 'Internal Server Error' } })
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
      for (let after = 0; after < 10 && events.length < 500; after += renumbered ? 1 : 0) {
        const event = device.event({ type: 'receive', barcode: sku, location: s.fixture.locations[0]!, qty: 2, poNumber: 'PO-Z1' })
        events.push(event)
        await device.publish(event)
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
