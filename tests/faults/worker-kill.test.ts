import { describe, expect, it } from 'vitest'
import { countFault } from './harness/fault-log.ts'
import { useFaultStack } from './harness/fault-stack.ts'
import { testSeed } from './harness/fault-test.ts'
import { byProfile } from './harness/profile.ts'
import { checkAll } from './invariants/check-all.ts'
import { startWorkload } from './workload/workload-run.ts'

// Item 11. This hub only ingests and answers HTTP; the workers are child processes that kill themselves.
const stack = useFaultStack({ label: 'f11kill', products: 8, devices: 4 })

describe('item 11: a worker SIGKILLed again and again, before and after its commit', () => {
  it('keeps I1, I3 and I7, and every event is answered once a healthy worker runs', async () => {
    const s = stack.current
    const seed = testSeed('worker-kill')
    const kills = byProfile({ ci: 2, full: 10 })
    await s.startHub({ HUB_ROLES: 'api,ingest' })
    const run = await startWorkload(s, {
      seed,
      shape: { devices: 4, productsPerDevice: 2, locations: 3, eventsPerDevice: 40 },
      ratePerSecond: 40,
    })

    for (let k = 0; k < kills; k++) {
      const point = k % 2 === 0 ? 'before-commit' : 'after-commit'
      const worker = await s.startHub({ HUB_ROLES: 'worker', HUB_FAULT_POINT: point }, 'worker')
      // It dies at its first batch; a stalled drain of an earlier victim counts as well.
      await expect(worker.exited).resolves.toBe('SIGKILL')
      countFault(11, `worker SIGKILL ${point}`)
    }
    await s.startHub({ HUB_ROLES: 'worker' }, 'worker')
    // Stalled drains come back after their lock (10 s) and the stalled check (5 s): I4 allows 30 s.
    expect(await run.settle(45_000)).toEqual([])
    await run.stop()
    expect(await checkAll(s, { item: 11, run })).toEqual([])
  })
})
