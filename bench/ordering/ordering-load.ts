import { OrderingClient } from '@wh/shared'
import { percentile } from '../../devices/src/sim/fleet-stats.ts'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'

export interface OrderingFigures {
  requestsPerSecond: number
  latencyMs: { p50: number; p99: number }
  /** Answers by outcome, e.g. reserved / short for reservations. */
  outcomes: Record<string, number>
}

/**
 * The ordering site under load: `clients` concurrent callers, each sending its next request as
 * soon as the last is answered, for `seconds`; the typed client, as the site would use it.
 */
export async function runOrderingLoad(o: {
  baseUrl: string
  /** An `orders` key, shared by all the clients as one ordering site's servers would share it. */
  apiKey: string
  clients: number
  seconds: number
  request: (client: OrderingClient, pick: <T>(xs: T[]) => T) => Promise<string>
}): Promise<OrderingFigures> {
  const rnd = seededRandom(7)
  const pick = <T>(xs: T[]) => rnd.pick(xs)
  const latencies: number[] = []
  const outcomes: Record<string, number> = {}
  const until = performance.now() + o.seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: o.clients }, async () => {
      const client = new OrderingClient({ baseUrl: o.baseUrl, apiKey: o.apiKey, attempts: 1 })
      while (performance.now() < until) {
        const t0 = performance.now()
        const outcome = await o.request(client, pick).catch((err: Error) => `error: ${err.message.slice(0, 60)}`)
        latencies.push(performance.now() - t0)
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    requestsPerSecond: Math.round(latencies.length / elapsed),
    latencyMs: { p50: Math.round(percentile(latencies, 0.5) * 10) / 10, p99: Math.round(percentile(latencies, 0.99) * 10) / 10 },
    outcomes,
  }
}
