import { expect } from 'vitest'
import { bearer, SITE } from './fixtures.ts'
import { addPerson, PersonClient } from './people.ts'
import type { Scenario } from './scenario.ts'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** What the purchase-order tests do through the admin API, a real scanner and the inspector. */
export function purchaseOrderKit(s: Scenario) {
  /** The admin API key's requests: its changes are audited under the key's name, `test-admin`. */
  async function api(method: Method, url: string, body?: object) {
    const response = await s.hubs[0]!.inject({ method, url, headers: bearer(s.fixture.keys.admin), ...(body ? { payload: body } : {}) })
    return { status: response.statusCode, body: response.body ? response.json() : undefined }
  }

  /**
   * A supervisor signed in with a session, as the console sends, limited to `sites` if given: their
   * changes are audited under `username`.
   */
  async function supervisor(username: string, sites?: string[]) {
    await addPerson(s.hubs[0]!, username, 'supervisor', sites ? { sites } : {})
    const person = await PersonClient.signIn(s.hubs[0]!, username)
    return async (method: Method, url: string, body?: object): ReturnType<typeof api> => {
      const answer = await person.send<Awaited<ReturnType<typeof api>>['body']>(method, url, body)
      return { status: answer.status, body: answer.body }
    }
  }

  const create = (poNumber: string, lines: { sku: string; qty: number }[], extra: object = {}) =>
    api('POST', '/api/purchase-orders', { poNumber, site: SITE, lines, ...extra })

  const poId = async (poNumber: string) =>
    (await s.inspect.rows<{ id: number }>('SELECT id FROM purchase_orders WHERE po_number = ?', [poNumber]))[0]?.id

  async function auditOf(id: number) {
    const rows = await s.inspect.rows<{
      action: string
      actor: string
      reason: string | null
      before: string | null
      after: string | null
    }>("SELECT action, actor, reason, `before`, `after` FROM audit_log WHERE entity = 'purchase_order' AND entity_id = ? ORDER BY id", [
      String(id),
    ])
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
    const cache = await Promise.all(s.fixture.skus.map((sku) => s.inspect.cache.read(SITE, sku)))
    const lots = await s.inspect.rows('SELECT product_id, location_id, lot_code, qty FROM lots ORDER BY id')
    return { levels: await s.inspect.levels(), ledger: await s.inspect.ledgerSums(), lots, cache }
  }

  return { api, supervisor, create, poId, auditOf, scanReceipt, receive, references, stockState }
}
