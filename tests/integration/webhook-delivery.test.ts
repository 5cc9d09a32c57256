import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryPage, IssuedWebhook, WebhookView } from '@wh/shared'
import type { Env } from '../../hub/src/config.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { addPerson, PersonClient } from '../helpers/people.ts'
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text.ts'
import { useScenario, type Scenario } from '../helpers/scenario.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** What every test here does: the admin API as the fixture's admin key (`test-admin`), and a receiver. */
function webhookKit(settings: Partial<Env>, label: string) {
  const s: Scenario = useScenario(label, { products: 3, locations: 1, devices: 0, hubs: [settings] })
  const kit = { s, receiver: undefined as unknown as WebhookReceiver }
  beforeAll(async () => {
    kit.receiver = await startWebhookReceiver()
  })
  afterAll(async () => kit.receiver?.stop())

  async function api<T = Record<string, unknown>>(method: Method, url: string, body?: object, key = s.fixture.keys.admin) {
    const response = await s.hubs[0]!.inject({ method, url, headers: bearer(key), ...(body ? { payload: body } : {}) })
    return { status: response.statusCode, headers: response.headers, body: (response.body ? response.json() : undefined) as T }
  }
  /**
   * A subscription whose endpoint on the receiver trusts its secret. Unless told otherwise it hears
   * only orders, which these tests place none of: what it gets is what the test sends (pings).
   */
  async function subscribe(name: string, extra: object = {}) {
    const body = { name, site: SITE, url: kit.receiver.url(name), events: ['orders'], ...extra }
    const created = await api<IssuedWebhook>('POST', '/api/webhooks', body)
    expect(created.status).toBe(201)
    kit.receiver.trust(name, created.body.secret)
    return created.body.subscription.id
  }
  async function ping(id: number) {
    const answer = await api<{ id: number; msgId: string }>('POST', `/api/webhooks/${id}/ping`)
    expect(answer.status).toBe(202)
    return answer.body
  }
  const get = async (id: number) => (await api<WebhookView>('GET', `/api/webhooks/${id}`)).body
  const log = async (id: number, query = '') => (await api<DeliveryPage>('GET', `/api/webhooks/${id}/deliveries?${query}`)).body.items
  const receivedIds = (name: string) => kit.receiver.received(name).map((m) => m.id)
  async function auditOf(id: number) {
    return s.inspect.rows<{ action: string; actor: string; after: string | null }>(
      "SELECT action, actor, `after` FROM audit_log WHERE entity = 'webhook' AND entity_id = ? ORDER BY id",
      [String(id)],
    )
  }
  return { kit, api, subscribe, ping, get, log, receivedIds, auditOf }
}

/** Arrivals of at-least-once delivery in order: each message once or more, never one before an earlier one. */
function expectInOrder(arrivals: string[], sent: string[]) {
  const positions = arrivals.map((id) => sent.indexOf(id))
  expect(positions.every((p) => p >= 0)).toBe(true)
  expect(positions).toEqual([...positions].sort((a, b) => a - b))
  expect([...new Set(arrivals)]).toEqual(sent)
}

describe('delivery: signed, in order, through a receiver that dies and fails', () => {
  const { kit, api, subscribe, ping, get, log, receivedIds, auditOf } = webhookKit(
    { WEBHOOK_MAX_ATTEMPTS: 100, WEBHOOK_BACKOFF_MS: 50 },
    'webhook-delivery',
  )

  it('signs every message to the Standard Webhooks spec, and the receiver verifies it with the library', async () => {
    const created = await api<IssuedWebhook>('POST', '/api/webhooks', {
      name: 'signed',
      site: SITE,
      url: kit.receiver.url('signed'),
      events: ['stock', 'orders'],
    })
    expect(created.status).toBe(201)
    expect(created.headers['cache-control']).toBe('no-store')
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const id = created.body.subscription.id
    expect(created.body.subscription).toMatchObject({
      site: SITE,
      events: ['stock', 'orders'],
      skus: null,
      status: 'active',
      pending: 0,
      dead: 0,
    })

    // Trusting another secret, the receiver refuses the request: the signature really is checked.
    kit.receiver.trust('signed', 'whsec_' + Buffer.alloc(32, 7).toString('base64'))
    const first = await ping(id)
    const entryOf = async (messageId: number) => (await log(id, 'limit=500')).find((m) => m.id === messageId)
    await eventually('a refused attempt', async () => (await entryOf(first.id))?.lastStatus === 401)
    expect(kit.receiver.rejected('signed').length).toBeGreaterThan(0)
    kit.receiver.trust('signed', created.body.secret)
    await eventually('the ping delivered', () => receivedIds('signed').includes(first.msgId))
    expect(kit.receiver.received('signed').find((m) => m.type === 'webhook.ping')).toMatchObject({
      id: first.msgId,
      type: 'webhook.ping',
      data: { subscriptionId: id },
    })
    const entry = await entryOf(first.id)
    expect(entry).toMatchObject({ id: first.id, msgId: first.msgId, status: 'delivered', lastStatus: 204, lastError: null })
    expect(entry!.attempts).toBeGreaterThan(1)

    // A rotated secret signs from then on; the old one no longer verifies.
    const rotated = await api<IssuedWebhook>('POST', `/api/webhooks/${id}/rotate-secret`)
    expect(rotated.status).toBe(200)
    expect(rotated.body.secret).not.toBe(created.body.secret)
    kit.receiver.trust('signed', rotated.body.secret)
    const second = await ping(id)
    await eventually('the ping signed with the new secret', () => receivedIds('signed').includes(second.msgId))
    expect((await get(id)).failingSince).toBeNull()
    expect((await auditOf(id)).map((a) => [a.action, a.actor])).toEqual([
      ['create', 'test-admin'],
      ['ping', 'test-admin'],
      ['rotate-secret', 'test-admin'],
      ['ping', 'test-admin'],
    ])
    expect(JSON.stringify(await auditOf(id))).not.toContain('whsec_')
  })

  it('a receiver killed and restarted mid-stream gets every message, in order per subscription', async () => {
    const names = ['shop-a', 'shop-b']
    const ids = [await subscribe('shop-a'), await subscribe('shop-b')]
    const sent: string[][] = [[], []]
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) for (const k of [0, 1]) sent[k]!.push((await ping(ids[k]!)).msgId)
    }
    await send(3)
    await eventually('the first messages in', () => receivedIds('shop-a').length > 0 && receivedIds('shop-b').length > 0)
    await kit.receiver.stop()
    await send(5)
    await eventually('an attempt refused at the connection', async () =>
      (await log(ids[0]!, 'status=pending')).some((m) => m.lastError !== null),
    )
    expect((await get(ids[0]!)).failingSince).not.toBeNull()
    await kit.receiver.start()
    await eventually('every message in', () => names.every((name, k) => new Set(receivedIds(name)).size === sent[k]!.length))
    names.forEach((name, k) => expectInOrder(receivedIds(name), sent[k]!))
    for (const id of ids) expect(await get(id)).toMatchObject({ pending: 0, dead: 0, failingSince: null })
  })

  it('an endpoint answering 500 for a while gets every message once it recovers, in order', async () => {
    const id = await subscribe('flaky')
    kit.receiver.fail(500)
    const sent = [(await ping(id)).msgId, (await ping(id)).msgId, (await ping(id)).msgId]
    await eventually('a few refusals', () => kit.receiver.refused('flaky') >= 3)
    const failing = (await log(id, 'status=pending')).at(-1)
    expect(failing?.lastStatus).toBe(500)
    expect(failing?.lastError).toContain('HTTP 500')
    expect(await get(id)).toMatchObject({ status: 'active', pending: 3 })
    kit.receiver.recover()
    await eventually('every message in', () => new Set(receivedIds('flaky')).size === 3)
    expectInOrder(receivedIds('flaky'), sent)
    const delivered = await log(id, 'status=delivered')
    expect(delivered.map((d) => d.msgId)).toEqual([...sent].reverse())
    expect(delivered.at(-1)!.attempts).toBeGreaterThan(1)
  })

  it('delivers stock changes made through the API to the subscriptions that hear them, last figures equal to the database', async () => {
    const [p1, p2] = kit.s.fixture.skus as [string, string]
    await subscribe('stock-all', { events: ['stock'] })
    await subscribe('stock-p1', { events: ['stock'], skus: [p1] })
    const ordersOnly = await subscribe('orders-only', { events: ['orders'] })
    const adjust = async (sku: string, kind: 'set' | 'change', qty: number) => {
      const body = { id: randomUUID(), site: SITE, sku, location: kit.s.fixture.locations[0], kind, qty, reason: 'webhook test' }
      expect((await api('POST', '/api/adjustments', body)).status).toBe(201)
    }
    await adjust(p1, 'set', 5)
    await adjust(p2, 'change', 3)
    await adjust(p1, 'set', 7)

    type Item = { sku: string; onHand: number; available: number; seq: number }
    const latest = (name: string) => {
      const last = new Map<string, Item>()
      for (const m of kit.receiver.received(name).filter((r) => r.type === 'stock.changed')) {
        for (const item of (m.data as { items: Item[] }).items) {
          // Per SKU in order: a later message never carries an older figure.
          expect(item.seq).toBeGreaterThanOrEqual(last.get(item.sku)?.seq ?? 0)
          last.set(item.sku, item)
        }
      }
      return last
    }
    await eventually(
      'the last figures delivered',
      () => latest('stock-all').get(p1)?.onHand === 7 && latest('stock-all').get(p2)?.onHand === 3,
    )
    await eventually('the filtered subscription caught up', () => latest('stock-p1').get(p1)?.onHand === 7)
    const truth = await kit.s.inspect.rows<{ sku: string; onHand: number }>(
      'SELECT p.sku, SUM(l.on_hand) AS onHand FROM stock_levels l JOIN products p ON p.id = l.product_id WHERE p.sku IN (?) GROUP BY p.sku',
      [[p1, p2]],
    )
    for (const row of truth)
      expect(latest('stock-all').get(row.sku)).toMatchObject({ onHand: Number(row.onHand), available: Number(row.onHand) })
    expect([...latest('stock-p1').keys()]).toEqual([p1])
    expect(await log(ordersOnly)).toEqual([])
  })

  it('a subscription paused by hand keeps its messages and delivers them when resumed', async () => {
    const id = await subscribe('held-back')
    const paused = await api<WebhookView>('POST', `/api/webhooks/${id}/pause`, { reason: 'shop migrating' })
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'shop migrating' })
    const queued = await ping(id)
    expect(await get(id)).toMatchObject({ status: 'paused', pending: 1 })
    const resumed = await api<WebhookView>('POST', `/api/webhooks/${id}/resume`)
    expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null })
    await eventually('the kept message delivered', () => receivedIds('held-back').includes(queued.msgId))
  })
})

describe('the subscription admin API', () => {
  const { kit, api, subscribe, ping, get, log, auditOf } = webhookKit({}, 'webhook-admin')
  const count = async () => (await kit.s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_subscriptions'))[0]!.n

  it('lists, reads, changes and deletes subscriptions, each change audited under the caller', async () => {
    const id = await subscribe('erp', { skus: [kit.s.fixture.skus[0]], events: ['orders'] })
    const changed = await api<WebhookView>('PATCH', `/api/webhooks/${id}`, { name: 'erp-2', skus: null, events: ['stock', 'orders'] })
    expect(changed.body).toMatchObject({ id, name: 'erp-2', skus: null, events: ['stock', 'orders'], url: kit.receiver.url('erp') })
    expect((await api<{ subscriptions: WebhookView[] }>('GET', `/api/webhooks?site=${SITE}`)).body.subscriptions.map((w) => w.id)).toEqual([
      id,
    ])

    await addPerson(kit.s.hubs[0]!, 'ana', 'admin')
    const ana = await PersonClient.signIn(kit.s.hubs[0]!, 'ana')
    const deleted = await ana.send<WebhookView>('DELETE', `/api/webhooks/${id}`)
    expect(deleted.body).toMatchObject({ id, status: 'deleted' })
    expect((await api<{ subscriptions: WebhookView[] }>('GET', '/api/webhooks')).body.subscriptions).toEqual([])
    expect(
      (await api<{ subscriptions: WebhookView[] }>('GET', '/api/webhooks?status=deleted')).body.subscriptions.map((w) => w.id),
    ).toEqual([id])
    const refused = await api('POST', `/api/webhooks/${id}/ping`)
    expect([refused.status, refused.body.code]).toEqual([409, 'WEBHOOK_DELETED'])

    const audit = await auditOf(id)
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['create', 'test-admin'],
      ['update', 'test-admin'],
      ['delete', 'ana'],
    ])
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ name: 'erp-2', skus: null, events: ['stock', 'orders'] })
  })

  it('describes every webhook route in the OpenAPI document under its tag', async () => {
    const doc = (await kit.s.hubs[0]!.inject('/docs/json')).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>()
    const routes = Object.entries(doc.paths)
      .filter(([path]) => /^\/api\/webhooks(\/\{id\}.*)?$/.test(path))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [`${method} ${path}`, op.tags]))
    expect(routes.length).toBe(12)
    for (const [route, tags] of routes) expect(tags, String(route)).toEqual(['webhooks'])
  })

  it('pages through the delivery log and shows one message with its body', async () => {
    const id = await subscribe('paged')
    const sent = [await ping(id), await ping(id), await ping(id)]
    await eventually('all delivered', async () => (await get(id)).pending === 0)
    const first = await api<DeliveryPage>('GET', `/api/webhooks/${id}/deliveries?limit=2`)
    expect(first.body.items.map((m) => m.id)).toEqual([sent[2]!.id, sent[1]!.id])
    expect(first.body.next).toBe(sent[1]!.id)
    expect((await log(id, `limit=2&before=${first.body.next}`)).map((m) => m.id)).toEqual([sent[0]!.id])
    const one = await api<{ body: unknown; status: string }>('GET', `/api/webhooks/${id}/deliveries/${sent[0]!.id}`)
    expect(one.body).toMatchObject({ status: 'delivered', body: { type: 'webhook.ping', data: { subscriptionId: id } } })
  })

  it('refuses bad input with problem details and a code, writing nothing', async () => {
    const id = await subscribe('guarded')
    const before = await count()
    const base = { name: 'x', site: SITE, url: 'https://shop.example.com/hooks' }
    const cases: [Method, string, object | undefined, number, string][] = [
      ['POST', '/api/webhooks', { ...base, url: 'ftp://shop.example.com/hooks' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/webhooks', { ...base, url: 'https://user:secret@shop.example.com/hooks' }, 422, 'WEBHOOK_URL_INVALID'],
      ['POST', '/api/webhooks', { ...base, url: 'http://[bad/hooks' }, 422, 'WEBHOOK_URL_INVALID'],
      ['POST', '/api/webhooks', { ...base, site: 'nowhere' }, 422, 'UNKNOWN_SITE'],
      ['POST', '/api/webhooks', { ...base, skus: ['NOPE-1'] }, 422, 'UNKNOWN_SKU'],
      ['POST', '/api/webhooks', { ...base, events: ['prices'] }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/webhooks', { ...base, secret: 'mine' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/webhooks/${id}`, {}, 400, 'NOTHING_TO_CHANGE'],
      ['PATCH', `/api/webhooks/${id}`, { url: 'https://u:p@x.example/h' }, 422, 'WEBHOOK_URL_INVALID'],
      ['GET', '/api/webhooks/999999', undefined, 404, 'WEBHOOK_NOT_FOUND'],
      ['POST', `/api/webhooks/${id}/replay`, { fromId: 9, toId: 3 }, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/webhooks/${id}/replay`, { status: 'delivered' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/webhooks/${id}/replay`, { fromSeq: 3 }, 400, 'VALIDATION_FAILED'],
      ['GET', `/api/webhooks/${id}/deliveries?limit=0`, undefined, 400, 'VALIDATION_FAILED'],
    ]
    for (const [method, url, body, status, code] of cases) {
      const answer = await api(method, url, body)
      expect([method, url, answer.status, answer.body.code]).toEqual([method, url, status, code])
      expect(answer.headers['content-type']).toContain('application/problem+json')
    }
    expect(await count()).toBe(before)
    expect(await get(id)).toMatchObject({ name: 'guarded', url: kit.receiver.url('guarded') })

    const viewer = await api('GET', '/api/webhooks', undefined, kit.s.fixture.keys.viewer)
    expect([viewer.status, viewer.body.code]).toEqual([403, 'FORBIDDEN_ROLE'])
  })

  it("an admin limited to other sites neither sees nor changes this site's subscriptions", async () => {
    const id = await subscribe('site-one')
    await addPerson(kit.s.hubs[0]!, 'otto', 'admin', { sites: ['elsewhere'] })
    const otto = await PersonClient.signIn(kit.s.hubs[0]!, 'otto')
    expect((await otto.send<{ subscriptions: WebhookView[] }>('GET', '/api/webhooks')).body.subscriptions).toEqual([])
    for (const [method, url, body] of [
      ['GET', `/api/webhooks/${id}`, undefined],
      ['POST', `/api/webhooks/${id}/pause`, {}],
      ['POST', '/api/webhooks', { name: 'x', site: SITE, url: 'https://shop.example.com/h' }],
    ] as const) {
      const answer = await otto.send<{ code: string }>(method, url, body)
      expect([url, answer.status, answer.body.code]).toEqual([url, 403, 'FORBIDDEN_SITE'])
    }
    expect(await get(id)).toMatchObject({ status: 'active' })
  })
})

describe('dead letters and replay', () => {
  const { kit, api, subscribe, ping, get, log, receivedIds, auditOf } = webhookKit(
    { WEBHOOK_MAX_ATTEMPTS: 3, WEBHOOK_BACKOFF_MS: 20 },
    'webhook-dead',
  )

  it('dead-letters a message after N attempts, goes on with the next, and replays dead ones and a range', async () => {
    const id = await subscribe('dlq')
    kit.receiver.fail(500)
    const a = await ping(id)
    const b = await ping(id)
    await eventually('both dead-lettered', async () => (await get(id)).dead === 2)
    const dead = await log(id, 'status=dead')
    expect(dead.map((d) => [d.msgId, d.attempts, d.lastStatus])).toEqual([
      [b.msgId, 3, 500],
      [a.msgId, 3, 500],
    ])
    expect(kit.receiver.refused('dlq')).toBe(6)

    kit.receiver.recover()
    const c = await ping(id)
    await eventually('the next message delivered', () => receivedIds('dlq').includes(c.msgId))

    const replay = await api('POST', `/api/webhooks/${id}/replay`, { status: 'dead' })
    expect(replay.body).toEqual({ replayed: 2 })
    await eventually('the dead messages delivered again', () => receivedIds('dlq').length >= 3)
    expect(receivedIds('dlq')).toEqual([c.msgId, a.msgId, b.msgId])
    // Replayed once, a dead message is not copied again.
    expect((await api('POST', `/api/webhooks/${id}/replay`, { status: 'dead' })).body).toEqual({ replayed: 0 })

    expect((await api('POST', `/api/webhooks/${id}/replay`, { fromId: c.id, toId: c.id })).body).toEqual({ replayed: 1 })
    await eventually('the range delivered again', () => receivedIds('dlq').length === 4)
    expect(receivedIds('dlq')).toEqual([c.msgId, a.msgId, b.msgId, c.msgId])
    expect(await get(id)).toMatchObject({ pending: 0, dead: 2, status: 'active' })
    // The metrics count each attempt by outcome: 3 + 3 refused (2 dead), then 4 deliveries.
    const scrape = await kit.s.hubs[0]!.inject({ url: '/metrics', headers: bearer(kit.s.fixture.keys.metrics) })
    const metrics = parsePrometheusText(scrape.body)
    expect([
      sumOf(metrics, 'wh_webhook_attempts_total', { outcome: 'failed' }),
      sumOf(metrics, 'wh_webhook_attempts_total', { outcome: 'dead' }),
      sumOf(metrics, 'wh_webhook_attempts_total', { outcome: 'delivered' }),
    ]).toEqual([4, 2, 4])
    expect(sumOf(metrics, 'wh_webhook_delivery_lag_seconds_count', {})).toBe(4)
    expect(sumOf(metrics, 'wh_webhook_messages_pending', {})).toBe(0)
    const replays = (await auditOf(id)).filter((e) => e.action === 'replay')
    expect(replays.map((e) => [e.actor, JSON.parse(e.after!)])).toEqual([
      ['test-admin', { status: 'dead', replayed: 2 }],
      ['test-admin', { status: 'dead', replayed: 0 }],
      ['test-admin', { fromId: c.id, toId: c.id, replayed: 1 }],
    ])
  })
})

describe('a subscription whose endpoint fails for long', () => {
  const { kit, api, subscribe, ping, get, receivedIds, auditOf } = webhookKit(
    { WEBHOOK_MAX_ATTEMPTS: 100, WEBHOOK_BACKOFF_MS: 50, WEBHOOK_PAUSE_AFTER_MS: 500 },
    'webhook-pause',
  )

  it('is paused and shown so, keeps its messages, and delivers them once resumed', async () => {
    const id = await subscribe('down-long')
    kit.receiver.fail(503)
    const kept = await ping(id)
    await eventually('the subscription paused', async () => (await get(id)).status === 'paused')
    const paused = await get(id)
    expect(paused.pausedReason).toMatch(/failed since/)
    expect(paused.failingSince).not.toBeNull()
    expect(paused).toMatchObject({ pending: 1, dead: 0 })
    expect((await api<{ subscriptions: WebhookView[] }>('GET', '/api/webhooks')).body.subscriptions).toContainEqual(
      expect.objectContaining({ id, status: 'paused' }),
    )

    kit.receiver.recover()
    await addPerson(kit.s.hubs[0]!, 'wendy', 'admin')
    const wendy = await PersonClient.signIn(kit.s.hubs[0]!, 'wendy')
    const resumed = await wendy.send<WebhookView>('POST', `/api/webhooks/${id}/resume`)
    expect(resumed.body).toMatchObject({ status: 'active', failingSince: null, pausedReason: null })
    await eventually('the kept message delivered', () => receivedIds('down-long').includes(kept.msgId))
    expect((await auditOf(id)).map((e) => [e.action, e.actor])).toEqual([
      ['create', 'test-admin'],
      ['ping', 'test-admin'],
      ['pause', 'webhook-delivery'],
      ['resume', 'wendy'],
    ])
  })
})
