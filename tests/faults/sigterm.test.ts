import { describe, expect, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'

// Item 23: a hub told to stop (SIGTERM, as a rolling deploy does) under load leaves the shared
// subscription, finishes the batch in hand and exits within 10 s; the other hub carries on and
// nothing is left stalled (I7). The graceful shutdown's own order is tested in
// tests/integration/graceful-shutdown.test.ts; this is the same under faults' load and invariants.
const stack = useFaultStack({ label: 'f23term' })

describe('item 23: SIGTERM under load', () => {
  it('exits within 10 s and leaves nothing stalled', async () => {
    let exit: { code: unknown; ms: number } | undefined
    await runFaultScenario(stack.current, {
      item: 23,
      name: 'sigterm',
      hubs: [{}, {}],
      inject: async ({ hubs, fault }) => {
        const hub = hubs[1]!
        const started = Date.now()
        hub.child.kill('SIGTERM')
        fault('hub SIGTERM under load')
        const code = await Promise.race([hub.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))])
        exit = { code, ms: Date.now() - started }
      },
    })
    expect(exit?.code).toBe(0)
    expect(exit!.ms).toBeLessThan(10_000)
  })
})
