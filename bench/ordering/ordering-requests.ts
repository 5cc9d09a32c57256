import { seededRandom } from '../../devices/src/sim/seeded-random.ts'

/** One request of the ordering site's load, as bytes to send, and what it asks for. */
export interface OrderingRequest {
  path: string
  headers: Record<string, string>
  body: string
  /** Units a reservation asks for (0 for a stock check): an answered 201 holds exactly these. */
  units: number
  /** A reservation's Idempotency-Key. */
  key?: string
}

export type OrderingKind = 'check' | 'reserve'

export interface RequestSpec {
  kind: OrderingKind
  apiKey: string
  site: string
  skus: string[]
  seed: number
}

/**
 * The ordering site's requests. A stock check asks for 5 lines; a reservation is a small basket
 * (1-3 lines of distinct SKUs, 1-2 units each) with its own Idempotency-Key, spread over the whole
 * catalog so the stock lasts and 409s mean a real shortage, not a bench made to collide.
 */
export function orderingRequests(spec: RequestSpec): () => OrderingRequest {
  const rnd = seededRandom(spec.seed)
  const headers = { authorization: `Bearer ${spec.apiKey}`, 'content-type': 'application/json' }
  // Keys unique across processes and runs: a reused key would be answered from the first order.
  const run = `${process.pid.toString(36)}-${Date.now().toString(36)}`
  let n = 0
  const distinct = (count: number) => {
    const picked = new Set<string>()
    while (picked.size < count) picked.add(rnd.pick(spec.skus))
    return [...picked]
  }
  if (spec.kind === 'check') {
    return () => ({
      path: '/api/stock/check',
      headers,
      body: JSON.stringify({ site: spec.site, items: Array.from({ length: 5 }, () => ({ sku: rnd.pick(spec.skus), qty: 1 })) }),
      units: 0,
    })
  }
  return () => {
    const lines = distinct(rnd.int(1, 3)).map((sku) => ({ sku, qty: rnd.int(1, 2) }))
    const key = `bench-${run}-${++n}`
    return {
      key,
      path: '/api/orders',
      headers: { ...headers, 'idempotency-key': key },
      body: JSON.stringify({ site: spec.site, lines }),
      units: lines.reduce((sum, l) => sum + l.qty, 0),
    }
  }
}
