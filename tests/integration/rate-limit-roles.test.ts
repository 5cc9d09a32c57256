import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ApiRole, IssuedApiKey } from '@wh/shared'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { addPerson, PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'

// Small budgets, so each is reached in a few requests: 3 for most keys, 6 for a shop's orders
// key, 5 for a person at the console.
const s = useScenario('ratelimits', {
  products: 1,
  locations: 1,
  devices: 0,
  hubs: [{ RATE_LIMIT_MAX: 3, RATE_LIMIT_ORDERS_MAX: 6, RATE_LIMIT_PERSON_MAX: 5, RATE_LIMIT_WINDOW_MS: 60_000 }],
})
const hub = () => s.hubs[0]!

const createKey = async (role: ApiRole) => {
  const res = await hub().inject({
    method: 'POST',
    url: '/api/keys',
    headers: bearer(s.fixture.keys.admin),
    payload: { name: `rl-${role}-${randomUUID().slice(0, 8)}`, role },
  })
  expect(res.statusCode).toBe(201)
  return res.json<IssuedApiKey>().key
}

/** The statuses of `n` reads of the site's stock with `key`, one after the other. */
async function reads(key: string, n: number): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < n; i++) statuses.push((await hub().inject({ url: `/api/inventory?site=${SITE}`, headers: bearer(key) })).statusCode)
  return statuses
}

describe('rate limits per role', () => {
  it('an orders key gets its larger budget, a viewer key the default; past either, 429 with Retry-After', async () => {
    const [viewer, orders] = [await createKey('viewer'), await createKey('orders')]
    expect(await reads(viewer, 4)).toEqual([200, 200, 200, 429])
    expect(await reads(orders, 7)).toEqual([200, 200, 200, 200, 200, 200, 429])
    const refused = await hub().inject({ url: `/api/inventory?site=${SITE}`, headers: bearer(orders) })
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 })
    expect(refused.headers['x-ratelimit-limit']).toBe('6')
  })

  it('a person at the console gets the person budget', async () => {
    await addPerson(hub(), 'rl-viewer', 'viewer')
    const person = await PersonClient.signIn(hub(), 'rl-viewer')
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await person.send('GET', `/api/inventory?site=${SITE}`)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
  })
})
