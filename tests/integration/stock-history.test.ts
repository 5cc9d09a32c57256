import { describe, expect, it } from 'vitest'
import type { HistoryPage, InventoryAsOf, Movement, VoidResult } from '@wh/shared'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { scanIntoLedger } from '../helpers/ledger-scan.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('stockhistory', { products: 8, locations: 3, devices: 1 })
const hub = () => s.hubs[0]!
const scan = (fields: Parameters<typeof scanIntoLedger>[1]) => scanIntoLedger(s, fields)
const voidIt = (id: number | string, body: object = { reason: 'scanned the wrong pallet' }) =>
  hub().inject({ method: 'POST', url: `/api/movements/${id}/void`, headers: bearer(s.fixture.keys.admin), payload: body })
const get = (url: string) => hub().inject({ method: 'GET', url, headers: bearer(s.fixture.keys.admin) })

describe('stock history', () => {
  it('pages a product’s movements newest first, by location, with voids linked both ways', async () => {
    const sku = s.fixture.skus[4]!
    const [a, b] = s.fixture.locations as [string, string]
    await scan({ type: 'receive', barcode: sku, location: a, qty: 20 })
    await scan({ type: 'pick', barcode: sku, location: a, qty: 2, orderId: 'ORD-H1' })
    await scan({ type: 'move', barcode: sku, location: a, toLocation: b, qty: 5 })
    await scan({ type: 'adjust', barcode: sku, location: b, qty: -1, reason: 'damaged' })
    const [mistake] = await scan({ type: 'receive', barcode: sku, location: b, qty: 3 })
    const voided = (await voidIt(mistake!.id)).json<VoidResult>()

    const all = await s.inspect.rows<{ id: number }>(
      'SELECT m.id FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE p.sku = ? ORDER BY m.id DESC',
      [sku],
    )
    expect(all).toHaveLength(7)
    const seen: Movement[] = []
    let cursor: number | null = null
    let pages = 0
    do {
      const res = await get(`/api/inventory/${sku}/history?limit=3${cursor ? `&before=${cursor}` : ''}`)
      expect(res.statusCode).toBe(200)
      const page: HistoryPage = res.json<HistoryPage>()
      seen.push(...page.items)
      cursor = page.next
      pages++
    } while (cursor !== null)
    expect(pages).toBe(3)
    expect(seen.map((m) => m.id)).toEqual(all.map((r) => r.id))

    const [newest, voidedReceipt] = [seen[0]!, seen[1]!]
    expect(seen.every((m) => m.site === SITE)).toBe(true)
    expect(newest).toMatchObject({
      type: 'void',
      triggeredBy: 'void',
      actor: 'test-admin',
      location: b,
      qtyDelta: -3,
      voidsMovementId: voidedReceipt.id,
    })
    expect(voidedReceipt).toMatchObject({ type: 'receive', qtyDelta: 3, voidedByMovementId: newest.id, voidsMovementId: null })
    expect(voided).toMatchObject({ site: SITE, movements: [{ id: newest.id }] })
    const pick = seen.find((m) => m.type === 'pick')!
    expect(pick).toMatchObject({
      location: a,
      qtyDelta: -2,
      onHandAfter: 18,
      orderId: 'ORD-H1',
      deviceId: s.devices[0]!.deviceId,
      actor: null,
    })
    expect(seen.find((m) => m.type === 'adjust')).toMatchObject({ reason: 'damaged', onHandAfter: 4 })
    expect(new Date(pick.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000)

    const atB = (await get(`/api/inventory/${sku}/history?location=${b}`)).json<HistoryPage>()
    expect(atB.items.map((m) => [m.type, m.qtyDelta])).toEqual([
      ['void', -3],
      ['receive', 3],
      ['adjust', -1],
      ['move', 5],
    ])
    expect(atB.next).toBeNull()
  })

  it('answers 404 for an unknown product or location and 400 for bad paging', async () => {
    expect((await get('/api/inventory/NO-SUCH/history')).statusCode).toBe(404)
    expect((await get(`/api/inventory/${s.fixture.skus[0]}/history?location=NOWHERE`)).statusCode).toBe(404)
    expect((await get(`/api/inventory/${s.fixture.skus[0]}/history?limit=0`)).statusCode).toBe(400)
    expect((await get(`/api/inventory/${s.fixture.skus[0]}/history?before=x`)).statusCode).toBe(400)
  })
})

describe('stock as of a time', () => {
  it('sums the ledger up to the instant asked, before and after each change', async () => {
    const sku = s.fixture.skus[5]!
    const [a, b] = s.fixture.locations as [string, string]
    const at = async (when: Date) => {
      const res = await get(`/api/inventory/${sku}?site=${SITE}&at=${encodeURIComponent(when.toISOString())}`)
      expect(res.statusCode).toBe(200)
      return res.json<InventoryAsOf>()
    }
    const ms = (d: Date, delta: number) => new Date(d.getTime() + delta)
    const pause = () => new Promise((r) => setTimeout(r, 15))

    const [receipt] = await scan({ type: 'receive', barcode: sku, location: a, qty: 5 })
    await pause()
    const [out, into] = await scan({ type: 'move', barcode: sku, location: a, toLocation: b, qty: 2 })
    await pause()
    const voided = (await voidIt(into!.id)).json<VoidResult>()
    const [voidRow] = await s.inspect.rows<{ created_at: Date }>('SELECT created_at FROM stock_movements WHERE id = ?', [
      voided.movements[0]!.id,
    ])

    expect(await at(ms(receipt!.created_at, -1))).toMatchObject({ sku, onHand: 0, locations: {} })
    expect(await at(receipt!.created_at)).toEqual({
      sku,
      site: SITE,
      name: `Product ${sku}`,
      at: receipt!.created_at.toISOString(),
      onHand: 5,
      reorderThreshold: 0,
      locations: { [a]: { onHand: 5 } },
    })
    expect(await at(ms(out!.created_at, -1))).toMatchObject({ onHand: 5, locations: { [a]: { onHand: 5 } } })
    expect(await at(out!.created_at)).toMatchObject({ onHand: 5, locations: { [a]: { onHand: 3 }, [b]: { onHand: 2 } } })
    expect(await at(voidRow!.created_at)).toMatchObject({ onHand: 5, locations: { [a]: { onHand: 5 }, [b]: { onHand: 0 } } })
    // The live answer is unchanged by the new parameter, and agrees with the ledger now.
    const live = (await get(`/api/inventory/${sku}?site=${SITE}`)).json<{ onHand: number; reserved: number }>()
    expect(live).toMatchObject({ onHand: 5, reserved: 0, available: 5 })
    expect((await at(new Date())).onHand).toBe(live.onHand)
  })

  it('answers 400 for a future or malformed time and 404 for an unknown product', async () => {
    const sku = s.fixture.skus[0]!
    const future = await get(`/api/inventory/${sku}?site=${SITE}&at=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)
    expect([future.statusCode, future.json<{ code: string }>().code]).toEqual([400, 'AT_IN_FUTURE'])
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00', '']) {
      expect((await get(`/api/inventory/${sku}?site=${SITE}&at=${encodeURIComponent(bad)}`)).statusCode, bad).toBe(400)
    }
    expect((await get(`/api/inventory/NO-SUCH?site=${SITE}&at=2020-01-01T00:00:00Z`)).statusCode).toBe(404)
  })
})
