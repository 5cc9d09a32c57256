import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'

// Item 14 at its worst: Redis loses everything (no persistence). Full runs only (`npm run
// test:faults`): the CI subset kills Redis with its AOF in redis-faults.test.ts.

describe('item 14: Redis SIGKILLed under load with nothing persisted', () => {
  const stack = useFaultStack({ label: 'f14none', redis: { persistence: 'none' } })
  it('keeps I4 through device resends, and I8, though every queue, inbox and cache entry is gone', async () => {
    await runFaultScenario(stack.current, {
      item: 14,
      name: 'redis-kill-none',
      inject: async ({ stack: s, fault }) => {
        await s.services.redis.kill()
        fault('redis SIGKILL (no persistence)')
        await sleep(2000)
        await s.services.redis.start()
      },
    })
  })
})
