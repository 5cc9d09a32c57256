import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { OrderingClient, OrderingError, retryAfterMs } from '@wh/shared'

/** What the hub answers, in turn, and what the client sent. */
type Answer = { status: number; headers?: Record<string, string>; body: unknown }
let script: Answer[] = []
const seen: { at: number; path: string; key: string | undefined }[] = []
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume()
  req.on('end', () => {
    seen.push({ at: Date.now(), path: req.url!, key: req.headers['idempotency-key'] as string | undefined })
    const answer = script.shift() ?? { status: 500, body: { code: 'INTERNAL_ERROR' } }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body))
  })
})
let client: OrderingClient
const order = { orderId: 'o-1', status: 'confirmed' }
const limited = (retryAfter: string): Answer => ({
  status: 429,
  headers: { 'retry-after': retryAfter },
  body: { type: 'about:blank', title: 'Too many requests', status: 429, code: 'RATE_LIMITED' },
})

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  client = new OrderingClient({ baseUrl: `http://127.0.0.1:${port}`, backoffMs: 1, maxRetryAfterMs: 2000 })
})
afterAll(() => new Promise((resolve) => server.close(resolve)))
beforeEach(() => {
  script = []
  seen.length = 0
})

describe('the ordering client retries only what is safe, and waits as a 429 asks', () => {
  it('waits out a 429 Retry-After before asking again', async () => {
    script = [limited('1'), { status: 200, body: { site: 'dc1', items: [] } }]
    await client.check({ site: 'dc1', items: [{ sku: 'A', qty: 1 }] })
    expect(seen).toHaveLength(2)
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it('retries a cancel-lines after a 429 (the hub did nothing with it), but never after a 5xx or a lost answer', async () => {
    const lines = [{ sku: 'A', qty: 1 }]
    script = [limited('0'), { status: 200, body: order }]
    expect(await client.cancelLines('o-1', lines)).toEqual(order)
    expect(seen).toHaveLength(2)

    seen.length = 0
    script = [
      { status: 503, body: { code: 'NOT_READY' } },
      { status: 200, body: order },
    ]
    await expect(client.cancelLines('o-1', lines)).rejects.toMatchObject({ status: 503 })
    expect(seen).toHaveLength(1)
  })

  it('retries confirm, cancel and fulfilment after a 5xx: a repeat answers the order as it is', async () => {
    for (const call of [() => client.confirm('o-1'), () => client.cancel('o-1'), () => client.fulfil('o-1', 'shipped')]) {
      seen.length = 0
      script = [
        { status: 503, body: { code: 'NOT_READY' } },
        { status: 200, body: order },
      ]
      expect(await call()).toEqual(order)
      expect(seen).toHaveLength(2)
    }
    expect(seen.map((s) => s.path)).toEqual(['/api/orders/o-1/fulfilment', '/api/orders/o-1/fulfilment'])
  })

  it('finds an order by its reference among the caller’s own', async () => {
    script = [{ status: 200, body: { items: [order], next: null } }]
    expect(await client.byReference('WC-1')).toEqual(order)
    expect(seen[0]!.path).toBe('/api/orders?externalRef=WC-1&mine=true&limit=1')
  })

  it('retries a reserve after a 5xx with the same Idempotency-Key', async () => {
    script = [
      { status: 500, body: { code: 'INTERNAL_ERROR' } },
      { status: 201, body: order },
    ]
    const placed = await client.reserve({ site: 'dc1', lines: [{ sku: 'A', qty: 1 }] }, 'key-1')
    expect(placed).toMatchObject({ ok: true, order })
    expect(seen.map((s) => s.key)).toEqual(['key-1', 'key-1'])
  })

  it('answers a 429 that asks for longer than it may wait as an error, at once', async () => {
    script = [limited('60'), { status: 200, body: order }]
    const refused = await client.get('o-1').catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(OrderingError)
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' })
    expect(seen).toHaveLength(1)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-07T10:00:00Z')
    expect(retryAfterMs('3', now)).toBe(3000)
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Mon, 07 Dec 2026 09:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs(null, now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
  })
})
