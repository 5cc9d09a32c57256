import { expect } from 'vitest'
import type { IssuedWebhook } from '@wh/shared'
import { bearer, SITE } from './fixtures.ts'
import type { Scenario } from './scenario.ts'
import type { ReceivedMessage, WebhookReceiver } from './webhook-receiver.ts'

/** One SKU in a `stock.changed` or `stock.synced` message. */
export interface StockItem {
  sku: string
  onHand: number
  available: number
  seq: number
}

/** Stock messages as an endpoint took them, in arrival order. */
export const stockMessages = (received: readonly ReceivedMessage[], type?: string) =>
  received
    .filter((m) => (type ? m.type === type : m.type.startsWith('stock.')))
    .map((m) => ({ id: m.id, type: m.type, data: m.data as { site: string; seq: number; items: StockItem[] } & Record<string, unknown> }))

/** Each SKU's items in arrival order. */
export function itemsPerSku(received: readonly ReceivedMessage[]): Map<string, StockItem[]> {
  const out = new Map<string, StockItem[]>()
  for (const m of stockMessages(received)) for (const item of m.data.items) out.set(item.sku, [...(out.get(item.sku) ?? []), item])
  return out
}

/** The admin API as the fixture's admin key, and subscriptions whose endpoints trust their secrets. */
export function stockWebhookApi(s: Scenario, receiver: () => WebhookReceiver) {
  async function api<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: object,
    key = s.fixture.keys.admin,
  ) {
    const response = await s.hubs[0]!.inject({ method, url, headers: bearer(key), ...(body ? { payload: body } : {}) })
    return { status: response.statusCode, body: (response.body ? response.json() : undefined) as T }
  }
  async function subscribe(name: string, extra: object = {}) {
    const created = await api<IssuedWebhook>('POST', '/api/webhooks', { name, site: SITE, url: receiver().url(name), ...extra })
    expect(created.status).toBe(201)
    receiver().trust(name, created.body.secret)
    return created.body.subscription.id
  }
  return { api, subscribe }
}
