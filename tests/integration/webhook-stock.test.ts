import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrderingClient } from '@wh/shared'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl } from '../helpers/screen.ts'
import { itemsPerSku, stockMessages, stockWebhookApi } from '../helpers/stock-webhooks.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts'

// Retries come fast and never run out, so the receiver's outage ends in a delivery, not a dead letter.
const s = useScenario('webhook-stock', {
  products: 4,
  locations: 2,
  devices: 2,
  hubs: [{ WEBHOOK_MAX_ATTEMPTS: 100, WEBHOOK_BACKOFF_MS: 50, WEBHOOK_COALESCE_MS: 100 }],
})
let receiver: WebhookReceiver
beforeAll(async () => {
  receiver = await startWebhookReceiver()
})
afterAll(async () => receiver?.stop())
const { subscribe } = stockWebhookApi(s, () => receiver)

/** Each SKU's latest change seq at the site, from the change log. */
async function latestSeqs(): Promise<Map<string, number>> {
  const rows = await s.inspect.rows<{ sku: string; seq: number }>(
    `SELECT p.sku, MAX(c.seq) AS seq FROM stock_changes c JOIN products p ON p.id = c.product_id
       JOIN locations l ON l.id = c.location_id WHERE l.site = ? GROUP BY p.sku`,
    [SITE],
  )
  return new Map(rows.map((r) => [r.sku, Number(r.seq)]))
}

describe('stock changes pushed to webhooks', () => {
  it('delivers every change at least once through a receiver that dies and fails, in seq order per SKU, ending at the database figures', async () => {
    const { skus, locations } = s.fixture
    const all = 'all-skus'
    const some = 'two-skus'
    await subscribe(all)
    await subscribe(some, { skus: skus.slice(0, 2) })
    const [receiving, picking] = s.devices as [(typeof s.devices)[0], (typeof s.devices)[0]]
    const client = new OrderingClient({ baseUrl: await httpUrl(s.hubs[0]!), apiKey: s.fixture.keys.orders, backoffMs: 20 })

    /** Receipts at both locations, a pick, and an order: scans from two devices and the ordering API. */
    async function round(n: number) {
      const events = [
        ...skus.flatMap((sku, i) =>
          locations.map((location) => receiving.event({ type: 'receive', barcode: sku, location, qty: 3 + ((n + i) % 4) })),
        ),
        picking.event({ type: 'pick', barcode: skus[n % skus.length]!, location: locations[0]!, qty: 1 }),
      ]
      await Promise.all(events.map((e) => (e.deviceId === receiving.deviceId ? receiving : picking).publish(e)))
      await receiving.waitFor((acks) => events.every((e) => e.deviceId !== receiving.deviceId || acks.some((a) => a.eventId === e.eventId)))
      await picking.waitFor((acks) => events.every((e) => e.deviceId !== picking.deviceId || acks.some((a) => a.eventId === e.eventId)))
      const reserved = await client.reserve({ site: SITE, lines: [{ sku: skus[(n + 1) % skus.length]!, qty: 2 }] })
      expect(reserved.ok).toBe(true)
      // Every other order is cancelled again: its reservation's release is a change too.
      if (reserved.ok && n % 2 === 1) await client.cancel(reserved.order.orderId)
    }

    await round(0)
    await round(1)
    await eventually('the first messages arrive', () => receiver.received(all).length > 0 && receiver.received(some).length > 0)
    await receiver.stop()
    await round(2)
    await round(3)
    await receiver.start()
    receiver.fail(500)
    await round(4)
    await eventually('the hub meets the 500s', () => receiver.refused(all) > 0 && receiver.refused(some) > 0)
    await round(5)
    receiver.recover()
    await round(6)

    const latest = await latestSeqs()
    expect(latest.size).toBe(skus.length)
    const heardBy = { [all]: skus, [some]: skus.slice(0, 2) }
    // Every change is covered: each SKU's newest item carries its latest change's seq (items are
    // coalesced, each with its SKU's latest seq in the window).
    await eventually('each endpoint has every SKU it hears at its latest seq', () =>
      Object.entries(heardBy).every(([name, heard]) => {
        const items = itemsPerSku(receiver.received(name))
        return heard.every((sku) => items.get(sku)?.at(-1)?.seq === latest.get(sku))
      }),
    )

    const truth = await s.inspect.siteStock(SITE)
    for (const [name, heard] of Object.entries(heardBy)) {
      const items = itemsPerSku(receiver.received(name))
      expect([...items.keys()].sort()).toEqual([...heard].sort())
      for (const sku of heard) {
        const seqs = items.get(sku)!.map((i) => i.seq)
        // Per SKU in order: a later arrival never carries an older seq (a redelivery repeats one).
        expect(seqs, `${name} ${sku}`).toEqual([...seqs].sort((a, b) => a - b))
        expect(items.get(sku)!.at(-1), `${name} ${sku}`).toMatchObject({ onHand: truth[sku]!.onHand, available: truth[sku]!.available })
      }
      const messages = stockMessages(receiver.received(name), 'stock.changed')
      for (const m of messages) {
        expect(m.data.site).toBe(SITE)
        expect(m.data.seq).toBe(Math.max(...m.data.items.map((i) => i.seq)))
        expect(new Set(m.data.items.map((i) => i.sku)).size).toBe(m.data.items.length)
      }
      expect(receiver.rejected(name)).toEqual([])
    }
    // The outage made the backlog fold, not grow a message per change.
    const changes = await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM stock_changes')
    expect(stockMessages(receiver.received(all)).length).toBeLessThan(Number(changes[0]!.n))
    expect(await s.inspect.inconsistencies()).toEqual([])
  })
})
