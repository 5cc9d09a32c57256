import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'

// Item 16: the database goes away in the middle of a batch's transaction. InnoDB rolls the
// transaction back; the batch is retried; nothing is half written (I3's whole-move and lot checks,
// I1) and nothing is lost (I4).

describe('item 16: mariadbd SIGKILLed under load and started again on its data', () => {
  const stack = useFaultStack({ label: 'f16crash' })
  it('recovers to a state with no partial transaction, and every event is answered', async () => {
    await runFaultScenario(stack.current, {
      item: 16,
      name: 'mariadb-sigkill',
      inject: async ({ stack: s, fault }) => {
        await s.services.mariadb.kill()
        fault('mariadbd SIGKILL')
        await sleep(1500)
        await s.services.mariadb.start()
      },
    })
  })
})
