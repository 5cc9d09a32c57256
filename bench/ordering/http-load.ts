import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { Pool } from 'undici'
import { percentile } from '../../devices/src/sim/fleet-stats.ts'
import { orderingRequests, type RequestSpec } from './ordering-requests.ts'

export interface HttpLoadSpec extends RequestSpec {
  baseUrl: string
  /** Closed loop: connections, each sending its next request when the last is answered. */
  connections: number
  /** Open loop instead: requests per second offered, evenly spaced, whatever the answers do. */
  rate?: number
  warmupS: number
  measureS: number
}

export interface HttpLoadFigures {
  /** Answers per second in the measurement. */
  requestsPerSecond: number
  /** Open loop: the rate offered. */
  offered?: number
  latencyMs: { p50: number; p99: number; max: number }
  /** Answers by HTTP status ('error' for a request with no answer). */
  statuses: Record<string, number>
  /** Over the whole run, warm-up included: 201 answers (reservations) and the units they hold. */
  created: number
  unitsReserved: number
  /**
   * Reservations sent but never answered, with their units: autocannon drops the requests in
   * flight when its duration ends, and the hub may still have reserved them (the bench looks).
   */
  unanswered: [string, number][]
}

const round1 = (x: number) => Math.round(x * 10) / 10

type Held = Pick<HttpLoadFigures, 'created' | 'unitsReserved' | 'unanswered'>

function figures(latencies: number[], seconds: number, statuses: Record<string, number>, held: Held) {
  latencies.sort((a, b) => a - b)
  return {
    requestsPerSecond: Math.round(latencies.length / seconds),
    latencyMs: { p50: round1(percentile(latencies, 0.5)), p99: round1(percentile(latencies, 0.99)), max: round1(latencies.at(-1) ?? 0) },
    statuses,
    ...held,
  }
}

/**
 * Closed loop with autocannon: `connections` keep one request each in flight for the warm-up and
 * then the measurement. Latencies are taken from its `response` event (fractions of a ms kept).
 */
async function closedLoop(spec: HttpLoadSpec): Promise<HttpLoadFigures> {
  const next = orderingRequests(spec)
  let measuring = false
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const held: Held = { created: 0, unitsReserved: 0, unanswered: [] }
  const sent = new Map<string, number>()
  const run = (seconds: number) =>
    new Promise<void>((resolve, reject) => {
      const instance = autocannon(
        {
          url: spec.baseUrl,
          connections: spec.connections,
          duration: seconds,
          // A busy machine answers slowly; a timed-out request is sent again, which must stay rare.
          timeout: 60,
          method: 'POST',
          requests: [
            {
              setupRequest: (request, context) => {
                const r = next()
                Object.assign(context, { units: r.units, key: r.key })
                if (r.key) sent.set(r.key, r.units)
                return { ...request, path: r.path, headers: r.headers, body: r.body }
              },
              onResponse: (status, _body, context) => {
                const { key } = context as { key?: string }
                // A request retried after a timeout is answered twice (the second a replay): counted once.
                const first = key === undefined || sent.delete(key)
                if (status === 201 && first) {
                  held.created++
                  held.unitsReserved += (context as { units: number }).units
                }
                if (measuring) statuses[status] = (statuses[status] ?? 0) + 1
              },
            },
          ],
        },
        (err) => (err ? reject(err) : resolve()),
      )
      instance.on('response', (_client, _status, _bytes, ms) => void (measuring && latencies.push(ms)))
      instance.on('reqError', () => void (measuring && (statuses.error = (statuses.error ?? 0) + 1)))
    })
  // One run, the warm-up its first seconds: a second run would start while the hub still works on
  // the requests the first dropped at its end.
  let t0 = 0
  const warm = setTimeout(() => ((measuring = true), (t0 = performance.now())), spec.warmupS * 1000)
  await run(spec.warmupS + spec.measureS)
  clearTimeout(warm)
  measuring = false
  held.unanswered = [...sent]
  return figures(latencies, (performance.now() - t0) / 1000, statuses, held)
}

/**
 * Open loop: request i is due at start + i / rate, sent then whether or not earlier ones were
 * answered, over a pool of keep-alive connections; its latency counts from when it was due, so a
 * hub that falls behind shows it. (autocannon's `overallRate` sends each connection's quota for a
 * second back to back at the start of that second: bursts, not an offered rate.)
 */
async function openLoop(spec: HttpLoadSpec & { rate: number }): Promise<HttpLoadFigures> {
  const next = orderingRequests(spec)
  const pool = new Pool(spec.baseUrl, { connections: spec.connections, pipelining: 1 })
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const held: Held = { created: 0, unitsReserved: 0, unanswered: [] }
  const started = performance.now()
  const measureFrom = started + spec.warmupS * 1000
  const until = measureFrom + spec.measureS * 1000
  const inFlight = new Set<Promise<void>>()
  let answeredInWindow = 0
  let sent = 0
  const send = (due: number) => {
    const r = next()
    const measured = due >= measureFrom
    const p = pool
      .request({ method: 'POST', path: r.path, headers: r.headers, body: r.body })
      .then(async (res) => {
        await res.body.dump()
        if (res.statusCode === 201) {
          held.created++
          held.unitsReserved += r.units
        }
        const now = performance.now()
        if (now >= measureFrom && now <= until) answeredInWindow++
        if (!measured) return
        latencies.push(now - due)
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
      })
      .catch(() => void (measured && (statuses.error = (statuses.error ?? 0) + 1)))
      .finally(() => inFlight.delete(p))
    inFlight.add(p)
  }
  await new Promise<void>((resolve) => {
    const pacer = setInterval(() => {
      const now = Math.min(performance.now(), until)
      const due = Math.floor(((now - started) / 1000) * spec.rate)
      for (; sent < due; sent++) send(started + (sent * 1000) / spec.rate)
      if (now >= until) {
        clearInterval(pacer)
        resolve()
      }
    }, 1)
  })
  await Promise.all(inFlight)
  await pool.close()
  // Achieved: answers that arrived within the measurement, whenever they were due.
  return {
    ...figures(latencies, spec.measureS, statuses, held),
    requestsPerSecond: Math.round(answeredInWindow / spec.measureS),
    offered: spec.rate,
  }
}

/** The load generator in its own process, so it shares no event loop with the bench or the hub. */
export function forkHttpLoad(spec: HttpLoadSpec): Promise<HttpLoadFigures> {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  return new Promise((resolve, reject) => {
    child.once('message', (m: { result?: HttpLoadFigures; error?: string }) => {
      child.kill()
      if (m.result) resolve(m.result)
      else reject(new Error(`load generator: ${m.error}`))
    })
    child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)))
    child.send(spec)
  })
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once('message', (spec: HttpLoadSpec) => {
    const result = spec.rate ? openLoop({ ...spec, rate: spec.rate }) : closedLoop(spec)
    result.then(
      (r) => process.send!({ result: r }),
      (err: Error) => process.send!({ error: err.stack ?? err.message }),
    )
  })
  process.on('disconnect', () => process.exit(0))
}
