import { describe, expect, it } from 'vitest'
import type { PurchaseOrder } from '@wh/shared'
import { SITE } from '../helpers/fixtures.ts'
import { purchaseOrderKit } from '../helpers/purchase-orders.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('purchase-orders', { products: 6, locations: 2, devices: 1 })
const { api, supervisor, create, poId, auditOf, scanReceipt, receive, references } = purchaseOrderKit(s)

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
      [{ poNumber: 'PO-C3', site: SITE, lines: [] }, 400, 'VALIDATION_FAILED'],
      [{ poNumber: 'PO-C3', site: SITE, lines: [{ sku: a, qty: 0 }] }, 400, 'VALIDATION_FAILED'],
      [{ poNumber: 'PO-C3', site: SITE, lines: [{ sku: a, qty: 1_000_001 }] }, 400, 'VALIDATION_FAILED'],
      [{ poNumber: 'PO-C3', site: SITE, lines: [{ sku: a, qty: 1.5 }] }, 400, 'VALIDATION_FAILED'],
      [{ poNumber: 'PO C3; DROP', site: SITE, lines: [{ sku: a, qty: 1 }] }, 400, 'VALIDATION_FAILED'],
      [{ poNumber: 'PO-C3', site: SITE, expectedAt: '2026-02-30', lines: [{ sku: a, qty: 1 }] }, 400, 'VALIDATION_FAILED'],
      [
        { poNumber: 'PO-C3', site: SITE, lines: Array.from({ length: 501 }, (_, i) => ({ sku: `S${i}`, qty: 1 })) },
        400,
        'VALIDATION_FAILED',
      ],
    ]
    for (const [body, status, code] of cases) {
      const answer = await api('POST', '/api/purchase-orders', body)
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code })
      expect(answer.body.title).toEqual(expect.any(String))
    }
    const unknown = await create('PO-C3', [
      { sku: a, qty: 1 },
      { sku: 'NOPE-9', qty: 1 },
    ])
    expect(unknown.body.detail).toContain('NOPE-9')
    expect(await s.inspect.rows('SELECT COUNT(*) AS n FROM purchase_orders')).toEqual(before)
    expect(await s.inspect.rows("SELECT id FROM purchase_orders WHERE po_number = 'PO-C3'")).toEqual([])
    expect(await api('GET', '/api/purchase-orders/PO-NONE')).toEqual({
      status: 404,
      body: {
        type: 'tag:warehouse-hub,2026:problem:PO_NOT_FOUND',
        title: 'No purchase order has this number',
        status: 404,
        detail: 'PO-NONE',
        instance: '/api/purchase-orders/PO-NONE',
        code: 'PO_NOT_FOUND',
      },
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

  it('finds POs by part of the number or supplier, any case, or by a SKU on a line', async () => {
    const [, , , , a, b] = s.fixture.skus as [string, string, string, string, string, string]
    await create('PO-S1', [{ sku: a, qty: 2 }], { supplier: 'Northwind Traders' })
    await create('PO-S2', [{ sku: b, qty: 2 }], { supplier: '100% Cotton' })
    const found = async (q: string) =>
      (await api('GET', `/api/purchase-orders?limit=500&q=${encodeURIComponent(q)}`)).body.items.map(
        (p: { poNumber: string }) => p.poNumber,
      )
    expect(await found('po-s')).toEqual(['PO-S1', 'PO-S2'])
    expect(await found('NORTHWIND')).toEqual(['PO-S1'])
    expect(await found(b)).toEqual(['PO-S2'])
    // LIKE's wildcards in a search are only characters.
    expect(await found('0%')).toEqual(['PO-S2'])
    expect(await found('_')).toEqual([])
  })
})

describe('a caller limited to sites', () => {
  it('works only the POs of its sites: others are refused (403) and not listed, and nothing is written', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-X1', [{ sku: a, qty: 2 }])
    const elsewhere = await supervisor('e.lsewhere', ['elsewhere'])
    const refused: [Parameters<typeof elsewhere>[0], string, object?][] = [
      ['POST', '/api/purchase-orders', { poNumber: 'PO-X2', site: SITE, lines: [{ sku: a, qty: 1 }] }],
      ['GET', '/api/purchase-orders/PO-X1'],
      ['GET', `/api/purchase-orders?site=${SITE}`],
      ['PATCH', '/api/purchase-orders/PO-X1', { supplier: 'Other' }],
      ['POST', '/api/purchase-orders/PO-X1/renumber', { newPoNumber: 'PO-X3', reason: 'not mine' }],
      ['POST', '/api/purchase-orders/PO-X1/close'],
      ['POST', '/api/purchase-orders/PO-X1/cancel'],
      ['DELETE', '/api/purchase-orders/PO-X1'],
    ]
    for (const [method, url, body] of refused) {
      expect({ url, ...(await elsewhere(method, url, body)) }).toMatchObject({ url, status: 403, body: { code: 'FORBIDDEN_SITE' } })
    }
    expect((await elsewhere('GET', '/api/purchase-orders?limit=500')).body).toEqual({ items: [], next: null })
    expect((await api('GET', '/api/purchase-orders/PO-X1')).body).toMatchObject({ status: 'open', supplier: '' })
    expect((await api('GET', '/api/purchase-orders/PO-X2')).status).toBe(404)
    expect((await auditOf((await poId('PO-X1'))!)).map((e) => e.action)).toEqual(['create'])
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
    const asJDoe = await supervisor('j.doe')
    const patched = await asJDoe('PATCH', '/api/purchase-orders/PO-U1', {
      supplier: 'Acme Ltd',
      expectedAt: null,
      lines: [
        { sku: a, qty: 12 },
        { sku: c, qty: 3 },
      ],
      removeSkus: [b],
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
      [{ expectedAt: '2026-13-01' }, 400, 'VALIDATION_FAILED'],
      [{}, 400, 'NOTHING_TO_CHANGE'],
      // The audit actor is the caller; a body cannot name another.
      [{ supplier: 'Other', actor: 'j.doe' }, 400, 'VALIDATION_FAILED'],
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
      body: { code: 'PO_HAS_RECEIPTS', detail: expect.stringContaining('has receipts: close it instead') },
    })
    expect(await api('DELETE', '/api/purchase-orders/PO-K2')).toMatchObject({ status: 409, body: { code: 'PO_HAS_RECEIPTS' } })
    const asLead = await supervisor('lead.1')
    expect(await asLead('POST', '/api/purchase-orders/PO-K2/close')).toMatchObject({
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
