import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncRun, SyncRunPage } from '@wh/shared'
import type { Env } from '../../hub/src/config.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { stockMessages, stockWebhookApi } from '../helpers/stock-webhooks.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts'

function syncKit(label: string, settings: Partial<Env>) {
  const s = useScenario(label, { products: 3, locations: 1, devices: 1, hubs: [{ WEBHOOK_COALESCE_MS: 100, ...settings }] })
  const kit = { s, receiver: undefined as unknown as WebhookReceiver }
  beforeAll(async () => {
    kit.receiver = await startWebhookReceiver()
  })
  afterAll(async () => kit.receiver?.stop())
  const { api, subscribe } = stockWebhookApi(s, () => kit.receiver)
  const runs = async () => (await api<SyncRunPage>('GET', `/api/webhooks/sync-runs?site=${SITE}`)).body.items
  const synced = (name: string) => stockMessages(kit.receiver.received(name), 'stock.synced')
  async function receive(sku: string, qty: number) {
    const device = s.devices[0]!
    const event = device.event({ type: 'receive', barcode: sku, location: s.fixture.locations[0]!, qty })
    await device.publish(event)
    await device.waitFor((acks) => acks.some((a) => a.eventId === event.eventId))
  }
  return { kit, s, api, subscribe, runs, synced, receive }
}

describe('full sync on demand and as the fallback', () => {
  // The fallback every 1.8 s, so the test sees it run and skip.
  const { kit, s, api, subscribe, runs, synced, receive } = syncKit('webhook-sync', { WEBHOOK_FULL_SYNC_HOURS: 0.0005 })

  it('pushes every SKU when forced, skips the fallback while nothing changed, and runs it again after a change', async () => {
    const [p1, p2] = s.fixture.skus as [string, string, string]
    await subscribe('every-sku')
    await subscribe('one-sku', { skus: [p1] })
    await receive(p1, 7)
    await receive(p2, 2)

    const forced = await api<SyncRun>('POST', '/api/webhooks/sync', { site: SITE })
    expect(forced.status).toBe(200)
    expect(forced.body).toMatchObject({
      site: SITE,
      reason: 'forced',
      skipped: false,
      skus: 3,
      subscriptions: 2,
      messages: 2,
      requestedBy: 'test-admin',
    })
    await eventually('both endpoints get the forced run', () =>
      ['every-sku', 'one-sku'].every((name) => synced(name).some((m) => m.data.runId === forced.body.id)),
    )
    const truth = await s.inspect.siteStock(SITE)
    const all = synced('every-sku').find((m) => m.data.runId === forced.body.id)!
    expect(all.data).toMatchObject({ site: SITE, reason: 'forced', part: 1, parts: 1 })
    expect(all.data.items).toEqual(
      s.fixture.skus.map((sku) => ({ sku, onHand: truth[sku]?.onHand ?? 0, available: truth[sku]?.available ?? 0, seq: all.data.seq })),
    )
    expect(
      synced('one-sku')
        .find((m) => m.data.runId === forced.body.id)!
        .data.items.map((i) => i.sku),
    ).toEqual([p1])
    const audit = await s.inspect.rows<{ actor: string }>("SELECT actor FROM audit_log WHERE entity = 'webhook' AND entity_id = ?", [
      `sync:${SITE}`,
    ])
    expect(audit.map((a) => a.actor)).toEqual(['test-admin'])

    // Nothing changed since the forced run: the fallback is logged as skipped and sends nothing.
    await eventually('a fallback run after the forced one', async () => (await runs()).some((r) => r.id > forced.body.id))
    const skipped = (await runs()).find((r) => r.id > forced.body.id)!
    expect(skipped).toMatchObject({ reason: 'fallback', skipped: true, messages: 0, requestedBy: 'system' })
    expect(synced('every-sku').filter((m) => m.data.runId === skipped.id)).toEqual([])

    await receive(p2, 5)
    await eventually('a fallback run that is not skipped', async () => (await runs()).some((r) => r.id > skipped.id && !r.skipped))
    const after = (await runs()).find((r) => r.id > skipped.id && !r.skipped)!
    expect(after).toMatchObject({ reason: 'fallback', skus: 3, subscriptions: 2, messages: 2 })
    await eventually('the new figures arrive', () => synced('every-sku').some((m) => m.data.runId === after.id))
    const sent = synced('every-sku').find((m) => m.data.runId === after.id)!
    expect(sent.data.items.find((i) => i.sku === p2)).toMatchObject({ onHand: 7 })
    expect(kit.receiver.rejected('every-sku')).toEqual([])
  })

  it('answers 404 for an unknown site and 403 for a key of another role', async () => {
    expect((await api('POST', '/api/webhooks/sync', { site: 'nowhere' })).status).toBe(404)
    expect((await api('POST', '/api/webhooks/sync', { site: SITE }, s.fixture.keys.orders)).status).toBe(403)
  })
})

describe('full sync when the catalog changes', () => {
  const { s, api, subscribe, runs, synced } = syncKit('webhook-sync-catalog', { WEBHOOK_FULL_SYNC_HOURS: 0 })

  it('runs when a product is added or deactivated, not when one is renamed', async () => {
    await subscribe('catalog')
    expect((await api('POST', '/api/products', { sku: 'NEW-1', name: 'Newcomer' })).status).toBe(201)
    await eventually('a run for the new product', async () => (await runs()).some((r) => r.reason === 'changed'))
    const added = (await runs()).find((r) => r.reason === 'changed')!
    expect(added).toMatchObject({ skipped: false, skus: 4, subscriptions: 1, messages: 1 })
    await eventually('its message arrives', () => synced('catalog').some((m) => m.data.runId === added.id))
    const items = synced('catalog').find((m) => m.data.runId === added.id)!.data.items
    expect(items.find((i) => i.sku === 'NEW-1')).toMatchObject({ onHand: 0, available: 0 })

    expect((await api('PATCH', '/api/products/NEW-1', { name: 'Renamed' })).status).toBe(200)
    expect((await api('PATCH', `/api/products/${s.fixture.skus[2]}`, { active: false })).status).toBe(200)
    await eventually('a run for the deactivated product', async () => (await runs()).some((r) => r.id > added.id))
    const [removed, ...rest] = (await runs()).filter((r) => r.id > added.id)
    expect(rest).toEqual([])
    expect(removed).toMatchObject({ reason: 'changed', skipped: false, skus: 3 })
    await eventually('its message arrives', () => synced('catalog').some((m) => m.data.runId === removed!.id))
    const listed = synced('catalog')
      .find((m) => m.data.runId === removed!.id)!
      .data.items.map((i) => i.sku)
    expect(listed).not.toContain(s.fixture.skus[2])
  })
})
