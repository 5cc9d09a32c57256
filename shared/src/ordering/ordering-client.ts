import { asProblem, type Problem } from '../errors/problem-details.ts'
import type { ErrorCode } from '../errors/error-codes.ts'
import type { Order, OrderRequest, Shortage, StockCheckRequest, StockCheckResponse } from './ordering-schemas.ts'
import type { CancelLinesRequest, FulfilmentRequest, OrderListQuery, OrderPage } from './order-lifecycle-schemas.ts'

export interface OrderingClientOptions {
  /** The hub, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string
  /** Attempts for a request that failed on the way (network, 5xx, a duplicate still in flight, 429). @defaultValue 4 */
  attempts?: number
  /** @defaultValue 200 */
  backoffMs?: number
  /** The longest `Retry-After` waited for; a longer one is answered as it is (an OrderingError). @defaultValue 30000 */
  maxRetryAfterMs?: number
  fetch?: typeof fetch
}

/** `replayed`: the hub answered with an order placed before (the same Idempotency-Key, or the same `externalRef`). */
export type ReserveResult = { ok: true; order: Order; replayed: boolean } | { ok: false; shortage: Shortage }

/**
 * An answer the client does not retry: its status and the hub's problem details (`body.code` from
 * the shared error table). An answer that is not a problem (a proxy's error page) gets INTERNAL_ERROR.
 */
export class OrderingError extends Error {
  readonly body: Problem
  constructor(
    readonly status: number,
    body: unknown,
  ) {
    const problem = asProblem(body) ?? { type: 'about:blank', title: 'Not a problem from the hub', status, code: 'INTERNAL_ERROR' as const }
    super(`${status} ${problem.code} ${problem.detail ?? problem.title}`)
    this.body = problem
  }

  get code(): ErrorCode {
    return this.body.code
  }
}

/** The one refusal worth retrying as it is: the first request with this key is still running. */
const IN_FLIGHT: ErrorCode = 'IDEMPOTENCY_IN_FLIGHT'
const SHORT: ErrorCode = 'INSUFFICIENT_STOCK'

const orderPath = (orderId: string) => `/api/orders/${encodeURIComponent(orderId)}`

/**
 * How long a 429 (or a duplicate still in flight) asks to wait: `Retry-After` in seconds or as an
 * HTTP date; undefined without one.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * The ordering site's client: stock check, reserve, confirm, cancel, fulfilment, partial cancel,
 * list. A reserve is retried with the same Idempotency-Key after a lost response or a 5xx, so a
 * retry can never reserve twice: the hub answers it with the stored result of the first. A 429 is
 * retried after its `Retry-After` whatever the call (the hub did nothing with it); a lost answer
 * or a 5xx only for the calls that are safe to repeat: reads, reserve (its key), and confirm,
 * cancel and fulfilment, whose repeat answers the order as it is. Never `cancelLines`: a repeat of
 * one that had succeeded would cancel those units again.
 */
export class OrderingClient {
  private readonly fetch: typeof fetch

  constructor(private readonly options: OrderingClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  }

  check(request: StockCheckRequest): Promise<StockCheckResponse> {
    return this.call<StockCheckResponse>('POST', '/api/stock/check', { body: request, safe: true }).then((r) => this.expect(r, 200))
  }

  async reserve(request: OrderRequest, idempotencyKey: string = `order-${crypto.randomUUID()}`): Promise<ReserveResult> {
    const r = await this.call<Order | Shortage>('POST', '/api/orders', {
      body: request,
      headers: { 'idempotency-key': idempotencyKey },
      safe: true,
    })
    if (r.status === 201 || r.status === 200) return { ok: true, order: r.body as Order, replayed: r.replayed }
    if (asProblem(r.body)?.code === SHORT) return { ok: false, shortage: r.body as Shortage }
    throw new OrderingError(r.status, r.body)
  }

  confirm(orderId: string): Promise<Order> {
    return this.call<Order>('POST', `${orderPath(orderId)}/confirm`, { safe: true }).then((r) => this.expect(r, 200))
  }

  cancel(orderId: string): Promise<Order> {
    return this.call<Order>('POST', `${orderPath(orderId)}/cancel`, { safe: true }).then((r) => this.expect(r, 200))
  }

  /** Marks a confirmed order packed or shipped (only forward; the same again answers the order). */
  fulfil(orderId: string, status: FulfilmentRequest['status']): Promise<Order> {
    return this.call<Order>('POST', `${orderPath(orderId)}/fulfilment`, { body: { status }, safe: true }).then((r) => this.expect(r, 200))
  }

  /** Cancels units of some lines and releases their reserved stock. Not retried after a lost answer: read the order instead. */
  cancelLines(orderId: string, lines: CancelLinesRequest['lines']): Promise<Order> {
    return this.call<Order>('POST', `${orderPath(orderId)}/cancel-lines`, { body: { lines } }).then((r) => this.expect(r, 200))
  }

  /** One page of orders, newest first; `next` is the `after` of the following page. */
  list(query: Partial<OrderListQuery> = {}): Promise<OrderPage> {
    const params = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])))
    const search = params.size > 0 ? `?${params}` : ''
    return this.call<OrderPage>('GET', `/api/orders${search}`, { safe: true }).then((r) => this.expect(r, 200))
  }

  /** The order this client (its API key) placed under its own reference, if any. */
  async byReference(externalRef: string): Promise<Order | undefined> {
    const page = await this.list({ externalRef, mine: true, limit: 1 })
    return page.items[0]
  }

  get(orderId: string): Promise<Order> {
    return this.call<Order>('GET', orderPath(orderId), { safe: true }).then((r) => this.expect(r, 200))
  }

  private expect<T>(r: { status: number; body: unknown }, status: number): T {
    if (r.status !== status) throw new OrderingError(r.status, r.body)
    return r.body as T
  }

  private async call<T>(method: string, path: string, request: { body?: unknown; headers?: Record<string, string>; safe?: boolean } = {}) {
    const { body, headers = {}, safe = false } = request
    const attempts = this.options.attempts ?? 4
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined
      try {
        const response = await this.fetch(`${this.options.baseUrl}${path}`, {
          method,
          headers: {
            ...headers,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
        const parsed = (await response.json().catch(() => undefined)) as T | Problem | undefined
        const limited = response.status === 429 || asProblem(parsed)?.code === IN_FLIGHT
        wait = limited ? retryAfterMs(response.headers.get('retry-after')) : undefined
        const retryable = (limited || (safe && response.status >= 500)) && (wait ?? 0) <= (this.options.maxRetryAfterMs ?? 30_000)
        if (!retryable || attempt >= attempts) {
          return { status: response.status, body: parsed, replayed: response.headers.get('idempotent-replayed') === 'true' }
        }
      } catch (err) {
        // No answer: the hub may have done it; only a call safe to repeat goes again.
        if (!safe || attempt >= attempts) throw err
      }
      await new Promise((r) => setTimeout(r, wait ?? (this.options.backoffMs ?? 200) * 2 ** (attempt - 1)))
    }
  }
}
