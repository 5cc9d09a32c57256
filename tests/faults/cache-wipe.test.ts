import { describe, expect, it } from 'vitest'
import { SITE } from '../helpers/fixtures.ts'
import { countFault } from './harness/fault-log.ts'
import { useFaultStack } from './harness/fault-stack.ts'
import { testSeed, waitUntil } from './harness/fault-test.ts'
import { checkAll } from './invariants/check-all.ts'
import { openScreen } from './invariants/screens.ts'
import { startWorkload } from './workload/workload-run.ts'

// Item 15: the Redis cache is only a cache. Wiped, or corrupted with a version higher than the
// database's (so no later guarded write would ever replace it), a full reconciliation run (the
// reconciliation's own API) must bring the cache and every screen back to the database.
const stack = useFaultStack({ label: 'f15cache' })

describe('item 15: the Redis cache wiped and corrupted', () => {
  it('is back to I1 and I5 after a full reconciliation', async () => {
    const s = stack.current
    const seed = testSeed('cache-wipe')
    const hub = await s.startHub()
    const screen = await openScreen(hub.url!, s.fixture.keys.viewer)
    const run = await startWorkload(s, {
      seed,
      shape: { devices: 4, productsPerDevice: 2, locations: 3, eventsPerDevice: 40 },
      ratePerSecond: 80,
    })
    expect(await run.settle()).toEqual([])
    const { redis, cache } = s.inspect

    const [wiped, corrupted] = [s.fixture.skus.slice(0, 4), s.fixture.skus.slice(4)]
    await redis.del(wiped.map((sku) => cache.keys.product(SITE, sku)))
    countFault(15, 'cache entries wiped')
    for (const sku of corrupted) await redis.hSet(cache.keys.product(SITE, sku), `l:${s.fixture.locations[0]}`, '777:0:999999:1')
    countFault(15, 'cache entries corrupted (high version)')
    expect((await checkAll(s, { item: 0, settleMs: 0 })).some((v) => v.startsWith('I1'))).toBe(true)

    const queued = await fetch(`${hub.url}/api/reconciliation/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.fixture.keys.admin}` },
      body: JSON.stringify({ scope: 'full' }),
    })
    expect(queued.status).toBe(202)
    const { run: started } = (await queued.json()) as { run: { id: number } }
    let status = ''
    await waitUntil(async () => {
      status = (
        (await (
          await fetch(`${hub.url}/api/reconciliation/runs/${started.id}`, { headers: { authorization: `Bearer ${s.fixture.keys.admin}` } })
        ).json()) as { status: string }
      ).status
      return status === 'done' || status === 'failed'
    }, 30_000)
    expect(status).toBe('done')
    await run.stop()
    // A corrupted entry reached the screen too: the repair's delta must put it right there as well.
    expect(await checkAll(s, { item: 15, run, screens: [screen] })).toEqual([])
    screen.stop()
  })
})
