import { describe, expect, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'

// Item 20: two hubs share the subscription and the partitions; one dies without a goodbye. Its
// in-flight messages are resent by their devices, its locked drains are taken over by the other
// hub once their lock lapses.
const stack = useFaultStack({ label: 'f20hubs' })

describe('item 20: one of two hubs SIGKILLed under load', () => {
  it('keeps I4, and the other hub answers new scans within 15 s', async () => {
    let killedAt = 0
    const { healedIn } = await runFaultScenario(stack.current, {
      item: 20,
      name: 'hub-sigkill',
      hubs: [{}, {}],
      inject: async ({ hubs, fault }) => {
        await hubs[1]!.stop('SIGKILL')
        killedAt = Date.now()
        fault('hub SIGKILL (one of two)')
      },
    })
    expect(killedAt).toBeGreaterThan(0)
    expect(healedIn).toBeLessThan(15_000)
  })
})
