import { setTimeout as sleep } from 'node:timers/promises'
import type { BenchEnvironment } from '../environment.ts'
import { forkHttpLoad, type HttpLoadFigures } from './http-load.ts'
import type { OrderingKind } from './ordering-requests.ts'

/** Closed-loop stock checks: connections, each with one request in flight. */
export const CHECK_CONNECTIONS = 50
/** The open-loop stock checks' offered rate, the issue's latency target point. */
export const CHECK_OFFERED = 2000
/** Connections the open loop may spread its requests over (it uses what it needs). */
const OPEN_CONNECTIONS = 64
/** Buyers reserving at once, one connection each. */
export const BUYERS = 200

interface Timing {
  warmupS: number
  measureS: number
}

const load = (env: BenchEnvironment, kind: OrderingKind, timing: Timing, seed: number, more: { connections: number; rate?: number }) =>
  forkHttpLoad({
    kind,
    baseUrl: env.httpUrl(),
    apiKey: env.fixture.keys.orders,
    site: env.site,
    skus: env.fixture.skus,
    seed,
    ...timing,
    ...more,
  })

function expectOnly(what: string, r: HttpLoadFigures, allowed: string[]) {
  const other = Object.keys(r.statuses).filter((s) => !allowed.includes(s))
  if (other.length > 0) throw new Error(`${what}: unexpected answers ${JSON.stringify(r.statuses)}`)
}

/** (g) closed loop: stock checks of 5 lines as fast as CHECK_CONNECTIONS connections go. */
export async function stockChecksClosed(env: BenchEnvironment, timing: Timing, rep: number) {
  const r = await load(env, 'check', timing, 100 + rep, { connections: CHECK_CONNECTIONS })
  expectOnly('stock checks', r, ['200'])
  return r
}

/** (g) open loop: stock checks offered at CHECK_OFFERED a second, evenly spaced. */
export async function stockChecksOpen(env: BenchEnvironment, timing: Timing, rep: number) {
  const r = await load(env, 'check', timing, 200 + rep, { connections: OPEN_CONNECTIONS, rate: CHECK_OFFERED })
  expectOnly('stock checks (open loop)', r, ['200'])
  return r
}

/** Reserved units at the site, and orders holding stock. */
async function held(env: BenchEnvironment) {
  const [[row]] = (await env.inspect.db.query(
    `SELECT (SELECT COALESCE(SUM(s.reserved), 0) FROM stock_levels s JOIN locations l ON l.id = s.location_id WHERE l.site = ?) AS reserved,
            (SELECT COUNT(*) FROM orders WHERE site = ? AND status = 'pending') AS pending`,
    [env.site, env.site],
  )) as unknown as [[{ reserved: string | number; pending: number }]]
  return { reserved: Number(row.reserved), pending: Number(row.pending) }
}

/**
 * (h) BUYERS buyers reserving small baskets, each request its own Idempotency-Key. Afterwards the
 * reserved stock must have grown by exactly the units of the 201 answers, one new order each, no
 * level may be reserved past its on hand, and active reservations must add up to `reserved` (I6).
 */
export async function reservations(env: BenchEnvironment, timing: Timing, rep: number) {
  const before = await held(env)
  const r = await load(env, 'reserve', timing, 300 + rep, { connections: BUYERS })
  expectOnly('reservations', r, ['201', '409'])
  // The requests autocannon dropped at its end may still be committing: read once nothing moves.
  let after = await held(env)
  for (let last = before; last.pending !== after.pending || last.reserved !== after.reserved;) {
    await sleep(500)
    ;[last, after] = [after, await held(env)]
  }
  // Requests autocannon dropped when its duration ended may have reserved all the same: looked up by key.
  const late = new Map(r.unanswered)
  const [lateOrders] = (late.size > 0
    ? await env.inspect.db.query('SELECT idempotency_key AS k FROM orders WHERE status = ? AND idempotency_key IN (?)', [
        'pending',
        [...late.keys()],
      ])
    : [[]]) as unknown as [{ k: string }[]]
  const lateUnits = lateOrders.reduce((sum, o) => sum + late.get(o.k)!, 0)
  const problems: string[] = []
  if (after.reserved - before.reserved !== r.unitsReserved + lateUnits)
    problems.push(
      `reserved grew by ${after.reserved - before.reserved}; the 201 answers hold ${r.unitsReserved}, unanswered orders ${lateUnits}`,
    )
  if (after.pending - before.pending !== r.created + lateOrders.length)
    problems.push(`${after.pending - before.pending} new orders for ${r.created} answered 201 and ${lateOrders.length} unanswered`)
  const [[over]] = (await env.inspect.db.query('SELECT COUNT(*) AS n FROM stock_levels WHERE reserved > on_hand')) as unknown as [
    [{ n: number }],
  ]
  if (over.n > 0) problems.push(`${over.n} stock levels reserved past their on hand`)
  const [[i6]] = (await env.inspect.db.query(
    `SELECT COUNT(*) AS n FROM stock_levels s WHERE s.reserved <> (SELECT COALESCE(SUM(r.qty), 0) FROM reservations r
       WHERE r.product_id = s.product_id AND r.location_id = s.location_id AND r.status = 'active')`,
  )) as unknown as [[{ n: number }]]
  if (i6.n > 0) problems.push(`${i6.n} stock levels disagree with their active reservations`)
  problems.push(...(await env.inspect.inconsistencies()))
  if (problems.length > 0) throw new Error(`reservations: the books do not balance:\n  ${problems.slice(0, 10).join('\n  ')}`)
  return r
}

/**
 * Opening stock for the ordering stages run alone (a full run has the scans of (a)-(f) on hand):
 * `units` of every product at every location, imported as a stock CSV like an operator would.
 */
export async function seedOrderingStock(env: BenchEnvironment, units: number) {
  const rows = ['site,location,sku,qty']
  for (const sku of env.fixture.skus) for (const location of env.fixture.locations) rows.push(`${env.site},${location},${sku},${units}`)
  const headers = { authorization: `Bearer ${env.fixture.keys.admin}`, 'content-type': 'text/csv' }
  const posted = await fetch(`${env.httpUrl()}/api/imports?kind=stock`, { method: 'POST', headers, body: `${rows.join('\n')}\n` })
  if (posted.status !== 202 && posted.status !== 200) throw new Error(`stock import: ${posted.status} ${await posted.text()}`)
  const { id } = (await posted.json()) as { id: string }
  for (let status = ''; status !== 'applied'; await sleep(250)) {
    const progress = await fetch(`${env.httpUrl()}/api/imports/${id}`, { headers })
    status = ((await progress.json()) as { status: string }).status
  }
}
