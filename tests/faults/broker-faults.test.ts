import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'

// Items 18 and 19: MQTT QoS 1 is hop by hop and Mosquitto persists by snapshot, so a broker
// restart can lose queued messages or redeliver acked ones; the device outbox resends until the
// hub's own ack, and the ledger makes the copies harmless.

describe('item 18: graceful Mosquitto restart under load', () => {
  const stack = useFaultStack({ label: 'f18broker', mosquitto: { persistence: true } })
  it('keeps I4', async () => {
    await runFaultScenario(stack.current, {
      item: 18,
      name: 'mosquitto-restart',
      inject: async ({ stack: s, fault }) => {
        await s.services.broker.restart('SIGTERM')
        fault('mosquitto graceful restart')
      },
    })
  })
})

describe('item 19: Mosquitto SIGKILLed under load', () => {
  const stack = useFaultStack({ label: 'f19broker', mosquitto: { persistence: true } })
  it('keeps I4 through device resends, and I3', async () => {
    await runFaultScenario(stack.current, {
      item: 19,
      name: 'mosquitto-sigkill',
      inject: async ({ stack: s, fault }) => {
        await s.services.broker.kill()
        fault('mosquitto SIGKILL')
        await sleep(1500)
        await s.services.broker.start()
      },
    })
  })
})
