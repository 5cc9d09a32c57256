import { describe, expect, it } from 'vitest'
import { ErrorCodes, isErrorCode, PROBLEM_CONTENT_TYPE, type Problem } from '@wh/shared'
import { eventually } from '../helpers/eventually.ts'
import { bearer } from '../helpers/fixtures.ts'
import { hostileRequests, type HostileRequest, type Operation } from '../helpers/hostile-requests.ts'
import { useScenario } from '../helpers/scenario.ts'

// No rate limit: a few hundred refused requests from one key must each reach validation. No
// scheduled reconciliation and no live heartbeat within the run (its first report would land
// mid-run once the requests take longer than one beat): the hub writes nothing of its own while
// the requests are sent.
const quiet = { RATE_LIMIT_MAX: 0, RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0, LIVE_HEARTBEAT_MS: 600_000 }
const s = useScenario('hostile', { products: 2, locations: 1, devices: 0, hubs: [quiet] })
const hub = () => s.hubs[0]!

/** Rows of every table and the hub's Redis keys: what a refused request must leave as it was. */
async function footprint() {
  const tables = await s.inspect.rows<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
  )
  const rows: Record<string, number> = {}
  for (const { name } of tables) rows[name] = (await s.inspect.rows<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${name}\``))[0]!.n
  // BullMQ's workers set and expire their stalled-check keys on a timer of their own, and a job
  // scheduler's next run (the webhook sweep's, every second) is a new key each time.
  const timers = (k: string) => k.endsWith(':stalled-check') || k.includes(':repeat:')
  const keys = (await s.inspect.redis.keys(`${s.env.env.REDIS_PREFIX}*`)).filter((k) => !timers(k)).sort()
  return { rows, keys }
}

/** The footprint once the hub's start-up writes (the instance registry, the live cache) are done. */
async function settled() {
  let last = await footprint()
  await eventually('the hub to settle after start-up', async () => {
    await new Promise((r) => setTimeout(r, 500))
    const now = await footprint()
    const same = JSON.stringify(now) === JSON.stringify(last)
    last = now
    return same
  })
  return last
}

/**
 * Every operation of the OpenAPI document that takes input: the /api routes. The others (/metrics,
 * /health, /ready, /docs) read no query, path or body.
 */
function operations() {
  const doc = hub().swagger() as { paths: Record<string, Record<string, Operation>> }
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/'))
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })))
}

async function send(request: HostileRequest) {
  const res = await hub().inject({ method: request.method as 'GET', url: request.url, headers: request.headers, payload: request.payload })
  const problem = String(res.headers['content-type']).startsWith(PROBLEM_CONTENT_TYPE) ? res.json<Problem>() : undefined
  return { status: res.statusCode, type: res.headers['content-type'], problem, body: res.body.slice(0, 300) }
}

describe('hostile requests to every route', () => {
  it('are each refused with a 4xx problem naming the bad field, and write nothing', async () => {
    const before = await settled()
    const requests = operations().flatMap(({ method, path, op }) => hostileRequests(method, path, op, bearer(s.fixture.keys.admin)))
    expect(requests.length).toBeGreaterThan(300)
    const wrong: string[] = []
    for (const request of requests) {
      const { status, type, problem, body } = await send(request)
      const what = `${request.method} ${request.url} (${request.name}): ${status} ${type} ${body}`
      if (status < 400 || status >= 500 || !problem) wrong.push(what)
      else if (!isErrorCode(problem.code) || ErrorCodes[problem.code].status !== status || problem.status !== status) wrong.push(what)
      else if (problem.instance !== request.url.split('?')[0]) wrong.push(`${what}: instance ${problem.instance}`)
      else if (request.field) {
        const fields = problem.details?.map((d) => (d as { field: string }).field)
        if (problem.code !== 'VALIDATION_FAILED' || fields?.length !== 1 || fields[0] !== request.field)
          wrong.push(`${what}: expected ${request.field}`)
      }
    }
    expect(wrong).toEqual([])
    expect(await footprint()).toEqual(before)
  })

  it('are problems outside validation too: no key, a role too low, no such route, a malformed URL', async () => {
    const cases = [
      [{ url: '/api/purchase-orders' }, 401, 'UNAUTHENTICATED'],
      [{ url: '/api/keys', headers: bearer(s.fixture.keys.viewer) }, 403, 'FORBIDDEN_ROLE'],
      [{ url: '/api/no-such-route', headers: bearer(s.fixture.keys.admin) }, 404, 'ROUTE_NOT_FOUND'],
      [{ method: 'PUT' as const, url: '/api/inventory', headers: bearer(s.fixture.keys.admin) }, 404, 'ROUTE_NOT_FOUND'],
      [{ url: '/api/orders/%zz', headers: bearer(s.fixture.keys.admin) }, 400, 'BAD_REQUEST'],
    ] as const
    for (const [request, status, code] of cases) {
      const res = await hub().inject(request)
      expect({ status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        status,
        type: `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
      })
      expect(res.json()).toMatchObject({ status, code, title: ErrorCodes[code].title, instance: request.url })
    }
  })
})
