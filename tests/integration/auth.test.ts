import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ApiRole, IssuedApiKey } from '@wh/shared'
import { liveProtocols, LIVE_PROTOCOL, LiveCloseCodes } from '@wh/shared/live'
import type { HubApp } from '../../hub/src/app.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { liveUrl } from '../helpers/screen.ts'

// Hubs 0 and 1 with the default rate limit; hubs 2 and 3 share a limit of 5 requests per key per minute.
const fast = { API_KEY_CACHE_MS: 1000 }
const limited = { RATE_LIMIT_MAX: 5, RATE_LIMIT_WINDOW_MS: 60_000, ...fast }
const s = useScenario('auth', { products: 3, locations: 1, devices: 0, hubs: [fast, fast, limited, limited] })
const hub = () => s.hubs[0]!

type Method = 'GET' | 'HEAD' | 'POST' | 'DELETE'
interface Route {
  method: Method
  url: string
  needs: ApiRole
  body?: object
  headers?: Record<string, string>
}

// One or more routes of every group, with the role each needs (for keys: a supervisor's routes are admin's).
const routes: Route[] = [
  { method: 'GET', url: `/api/inventory?site=${SITE}`, needs: 'viewer' },
  { method: 'HEAD', url: `/api/inventory?site=${SITE}`, needs: 'viewer' },
  { method: 'GET', url: `/api/inventory/P-1?site=${SITE}`, needs: 'viewer' },
  { method: 'GET', url: '/api/inventory/P-1/history', needs: 'viewer' },
  { method: 'GET', url: `/api/catalog?site=${SITE}`, needs: 'viewer' },
  { method: 'GET', url: '/api/sync-status', needs: 'viewer' },
  { method: 'GET', url: '/api/sites', needs: 'viewer' },
  { method: 'GET', url: '/api/products?q=P', needs: 'viewer' },
  { method: 'POST', url: '/api/sites', needs: 'admin', body: { code: 'auth-site', name: 'Auth' } },
  { method: 'DELETE', url: '/api/products/NO-SUCH', needs: 'admin' },
  { method: 'POST', url: '/api/stock/check', needs: 'orders', body: { site: SITE, items: [{ sku: 'P-1', qty: 1 }] } },
  { method: 'POST', url: '/api/orders', needs: 'orders', body: { site: SITE, lines: [{ sku: 'P-1', qty: 1 }] } },
  { method: 'GET', url: `/api/orders/${randomUUID()}`, needs: 'orders' },
  { method: 'POST', url: `/api/orders/${randomUUID()}/cancel`, needs: 'orders' },
  { method: 'GET', url: '/api/orders?status=pending', needs: 'orders' },
  { method: 'POST', url: `/api/orders/${randomUUID()}/fulfilment`, needs: 'orders', body: { status: 'packed' } },
  { method: 'POST', url: `/api/orders/${randomUUID()}/cancel-lines`, needs: 'orders', body: { lines: [{ sku: 'P-1', qty: 1 }] } },
  { method: 'GET', url: '/api/held-events', needs: 'viewer' },
  {
    method: 'POST',
    url: '/api/held-events/decisions',
    needs: 'admin',
    body: { decisions: [{ id: 999999, action: 'reject', reason: 'x' }] },
  },
  { method: 'POST', url: '/api/movements/999999/void', needs: 'admin', body: { reason: 'test' } },
  { method: 'POST', url: '/api/adjustments', needs: 'admin', body: {} },
  { method: 'GET', url: '/api/purchase-orders', needs: 'viewer' },
  // A supervisor's change: of the keys, only admin reaches it.
  { method: 'POST', url: '/api/purchase-orders/NO-SUCH/close', needs: 'admin' },
  { method: 'GET', url: '/api/devices', needs: 'admin' },
  { method: 'POST', url: '/api/devices', needs: 'admin', body: { id: 'AUTH-1', site: SITE } },
  { method: 'GET', url: '/api/reconciliation/runs', needs: 'viewer' },
  { method: 'GET', url: '/api/keys', needs: 'admin' },
  { method: 'GET', url: '/api/screens', needs: 'admin' },
  { method: 'GET', url: '/api/audit', needs: 'admin' },
  { method: 'GET', url: '/api/health/details', needs: 'viewer' },
  { method: 'GET', url: `/api/handheld/receiving?site=${SITE}`, needs: 'viewer' },
  { method: 'GET', url: '/admin/queues', needs: 'admin' },
  { method: 'GET', url: '/admin/queues/api/queues?page=1&jobsPerPage=10', needs: 'admin' },
  { method: 'GET', url: '/metrics', needs: 'metrics' },
]
const roles: ApiRole[] = ['viewer', 'orders', 'admin', 'metrics']
const allowed = (role: ApiRole, needs: ApiRole) => role === needs || role === 'admin' || (role === 'orders' && needs === 'viewer')

const call = (app: HubApp, route: Route, key?: string) =>
  app.inject({
    method: route.method,
    url: route.url,
    headers: { ...(key ? bearer(key) : {}), ...(route.method === 'POST' ? { 'idempotency-key': `auth-${randomUUID()}` } : {}) },
    ...(route.body ? { payload: route.body } : {}),
  })

const createKey = async (role: ApiRole, sites?: string[]) => {
  const res = await hub().inject({
    method: 'POST',
    url: '/api/keys',
    headers: bearer(s.fixture.keys.admin),
    payload: { name: `t-${role}-${randomUUID().slice(0, 8)}`, role, ...(sites ? { sites } : {}) },
  })
  expect(res.statusCode).toBe(201)
  return res.json<IssuedApiKey>()
}

/** Opens a socket; resolves with it open, or with the HTTP status the upgrade was refused with. */
const connect = (url: string, protocols: string[] = [], headers: Record<string, string> = {}) =>
  new Promise<{ socket?: WebSocket; status?: number }>((resolve) => {
    const socket = new WebSocket(url, protocols, { headers })
    socket.once('open', () => resolve({ socket }))
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }))
    socket.once('error', () => resolve({}))
  })

describe('API keys and roles', () => {
  it('every route: 401 without a key, 403 for a role that does not reach it, through for one that does', async () => {
    for (const route of routes) {
      const none = await call(hub(), route)
      expect(none.statusCode, `${route.method} ${route.url} without a key`).toBe(401)
      expect(none.headers['www-authenticate']).toMatch(/Bearer realm=/)
      if (route.method !== 'HEAD') expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED' })
      for (const role of roles) {
        const res = await call(hub(), route, s.fixture.keys[role])
        const what = `${route.method} ${route.url} as ${role}: ${res.statusCode} ${res.body.slice(0, 200)}`
        if (allowed(role, route.needs)) expect([401, 403], what).not.toContain(res.statusCode)
        else {
          expect(res.statusCode, what).toBe(403)
          if (route.method !== 'HEAD') expect(res.json(), what).toMatchObject({ code: 'FORBIDDEN_ROLE' })
        }
      }
    }
  })

  it('/health, /ready, /docs and the OpenAPI document need no key', async () => {
    for (const url of ['/health', '/ready', '/docs', '/docs/json']) expect((await hub().inject(url)).statusCode, url).toBeLessThan(400)
  })

  it('malformed, unknown and wrongly-signed keys are 401; Basic with the key as password works', async () => {
    const route = routes[0]!
    const real = s.fixture.keys.viewer
    for (const key of ['nonsense', `whk_000000000000_${'a'.repeat(43)}`, `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`]) {
      expect((await call(hub(), route, key)).statusCode, key).toBe(401)
    }
    const basic = `Basic ${Buffer.from(`anyone:${real}`).toString('base64')}`
    expect((await hub().inject({ url: `/api/inventory?site=${SITE}`, headers: { authorization: basic } })).statusCode).toBe(200)
    // The queue view, opened in a browser, asks for the key with the browser's own prompt.
    expect((await hub().inject('/admin/queues')).headers['www-authenticate']).toMatch(/^Basic /)
  })

  it('a revoked key is refused at once where it was revoked and within the cache time on another instance', async () => {
    const { key, info } = await createKey('viewer')
    const read = (app: HubApp) => app.inject({ url: `/api/inventory?site=${SITE}`, headers: bearer(key) })
    expect((await read(hub())).statusCode).toBe(200)
    expect((await read(s.hubs[1]!)).statusCode).toBe(200)
    const revoked = await hub().inject({ method: 'DELETE', url: `/api/keys/${info.prefix}`, headers: bearer(s.fixture.keys.admin) })
    expect(revoked.json()).toMatchObject({ id: info.id, revokedAt: expect.any(String) })
    expect((await read(hub())).statusCode).toBe(401)
    await eventually('the other instance to refuse it', async () => (await read(s.hubs[1]!)).statusCode === 401, 3000)
    const listed = (await hub().inject({ url: '/api/keys', headers: bearer(s.fixture.keys.admin) })).json<{ keys: { prefix: string }[] }>()
    expect(JSON.stringify(listed)).not.toContain(key)
  })

  it('GET /api/keys/self tells any valid key what it is', async () => {
    const res = await hub().inject({ url: '/api/keys/self', headers: bearer(s.fixture.keys.metrics) })
    expect(res.json()).toMatchObject({ name: 'test-metrics', role: 'metrics', sites: null })
  })

  it('a key limited to sites may order and read the catalog of those sites only; an admin key cannot be limited', async () => {
    const { key } = await createKey('orders', ['elsewhere'])
    const order = (site: string) =>
      hub().inject({
        method: 'POST',
        url: '/api/orders',
        headers: { ...bearer(key), 'idempotency-key': `auth-${randomUUID()}` },
        payload: { site, lines: [{ sku: 'P-1', qty: 1 }] },
      })
    expect((await order(SITE)).json()).toMatchObject({ code: 'FORBIDDEN_SITE' })
    expect((await order('elsewhere')).statusCode).not.toBe(403)
    expect((await hub().inject({ url: `/api/catalog?site=${SITE}`, headers: bearer(key) })).statusCode).toBe(403)
    expect((await hub().inject({ url: '/api/catalog?site=elsewhere', headers: bearer(key) })).statusCode).toBe(200)
    const admin = await hub().inject({
      method: 'POST',
      url: '/api/keys',
      headers: bearer(s.fixture.keys.admin),
      payload: { name: 'scoped-admin', role: 'admin', sites: [SITE] },
    })
    expect(admin.json()).toMatchObject({ code: 'ADMIN_KEY_SCOPED' })
  })
})

describe('the floor-screen socket', () => {
  it('refuses an upgrade without a key (401), with a bad one (401) or a role without the screen (403)', async () => {
    const url = await liveUrl(hub())
    expect(await connect(url)).toEqual({ status: 401 })
    expect(await connect(url, liveProtocols(`whk_000000000000_${'a'.repeat(43)}`))).toEqual({ status: 401 })
    expect(await connect(url, liveProtocols(s.fixture.keys.metrics))).toEqual({ status: 403 })
  })

  it('opens for a viewer key as a subprotocol (answered `wh.live`, never the key) or a bearer header', async () => {
    const url = await liveUrl(hub())
    const viaProtocol = await connect(url, liveProtocols(s.fixture.keys.viewer))
    expect(viaProtocol.socket?.protocol).toBe(LIVE_PROTOCOL)
    viaProtocol.socket!.close()
    const viaHeader = await connect(url, [], bearer(s.fixture.keys.orders))
    expect(viaHeader.socket).toBeDefined()
    viaHeader.socket!.close()
  })

  it('closes an open screen whose key is revoked (4401)', async () => {
    const { key, info } = await createKey('viewer')
    const { socket } = await connect(await liveUrl(s.hubs[1]!), liveProtocols(key))
    const closed = new Promise<number>((resolve) => socket!.once('close', (code) => resolve(code)))
    await hub().inject({ method: 'DELETE', url: `/api/keys/${info.id}`, headers: bearer(s.fixture.keys.admin) })
    expect(await closed).toBe(LiveCloseCodes.unauthorized)
  })
})

describe('rate limits', () => {
  it('a key has one budget across instances: past it, 429 with Retry-After on either', async () => {
    const { key } = await createKey('viewer')
    const [a, b] = [s.hubs[2]!, s.hubs[3]!]
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push((await (i % 2 ? b : a).inject({ url: `/api/inventory?site=${SITE}`, headers: bearer(key) })).statusCode)
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    for (const app of [a, b]) {
      const refused = await app.inject({ url: `/api/inventory?site=${SITE}`, headers: bearer(key) })
      expect(refused.statusCode).toBe(429)
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
      expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' })
    }
    // Another key's budget is its own.
    expect((await a.inject({ url: `/api/inventory?site=${SITE}`, headers: bearer((await createKey('viewer')).key) })).statusCode).toBe(200)
  })

  it('requests refused for their key count against their address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await s.hubs[3]!.inject({ url: '/api/inventory', remoteAddress: '10.9.9.9' })).statusCode)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
  })
})

describe('security headers and size limits', () => {
  it('answers carry a Content-Security-Policy and the usual hardening headers', async () => {
    const res = await hub().inject('/health')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
  })

  it('a body past HTTP_BODY_LIMIT_BYTES is refused with 413', async () => {
    const res = await hub().inject({
      method: 'POST',
      url: '/api/stock/check',
      headers: { ...bearer(s.fixture.keys.orders), 'content-type': 'application/json' },
      payload: JSON.stringify({ site: SITE, items: [{ sku: 'x'.repeat(300_000), qty: 1 }] }),
    })
    expect(res.statusCode).toBe(413)
  })
})
