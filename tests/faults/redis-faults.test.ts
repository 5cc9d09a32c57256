import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'

// Items 13 and 14: Redis holds the queues, inboxes, sequencer, dedupe records, cache and delta
// stream; losing it must cost time, never an event.

describe('item 13: graceful Redis restart under load', () => {
  const stack = useFaultStack({ label: 'f13redis' })
  it('keeps I4 and I8', async () => {
    await runFaultScenario(stack.current, {
      item: 13,
      name: 'redis-restart',
      inject: async ({ stack: s, fault }) => {
        await s.services.redis.restart('SIGTERM')
        fault('redis graceful restart')
      },
    })
  })
})

describe('item 14: Redis SIGKILLed under load, with its AOF (fsync every second)', () => {
  const stack = useFaultStack({ label: 'f14aof', redis: { persistence: 'aof' } })
  it('keeps I4 through device resends, and I8', async () => {
    await runFaultScenario(stack.current, {
      item: 14,
      name: 'redis-kill-aof',
      inject: async ({ stack: s, fault }) => {
        await s.services.redis.kill()
        fault('redis SIGKILL (aof)')
        await sleep(2000)
        await s.services.redis.start()
      },
    })
  })
})
