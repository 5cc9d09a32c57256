import { describe, expect, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'

// Item 12: a worker whose event loop stops past its job lock (HUB_FAULT_POINT=block-loop holds it
// 20 s right after a commit) has its drain re-run by another worker while it still holds it; then
// it wakes and carries on. Both runs ack, cache and trim: the re-run must change nothing twice.
const stack = useFaultStack({ label: 'f12block' })

describe('item 12: event loop blocked past the job lock', () => {
  it('keeps I3 despite the re-run', async () => {
    await runFaultScenario(stack.current, {
      item: 12,
      name: 'blocked-loop',
      hubs: [{ HUB_ROLES: 'api,ingest' }],
      settleMs: 45_000,
      inject: async ({ stack: s, fault }) => {
        const blocked = await s.startHub({ HUB_ROLES: 'worker', HUB_FAULT_POINT: 'block-loop' }, 'worker')
        const healthy = await s.startHub({ HUB_ROLES: 'worker' }, 'worker')
        fault('worker event loop blocked 20 s')
        // The blocked worker wakes up and finishes what it held; it must still be alive then.
        await new Promise((r) => setTimeout(r, 22_000))
        expect(blocked.child.exitCode).toBeNull()
        // The healthy worker saw the held drain's lock lapse and took it over: the re-run happened.
        expect(healthy.output()).toMatch(/stalled/i)
      },
    })
  })
})
