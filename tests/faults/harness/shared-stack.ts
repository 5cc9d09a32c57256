import { afterAll, beforeAll } from 'vitest'
import type { Env } from '../../../hub/src/config.ts'
import { seedFixture } from '../../helpers/fixtures.ts'
import { openInspector } from '../../helpers/inspect.ts'
import { startPrivateMosquitto } from '../../helpers/private-mosquitto.ts'
import { createScannerKit } from '../../helpers/scanners.ts'
import { createTestEnv } from '../../helpers/test-env.ts'
import { FAULT_HUB_ENV, startStackHub, type FaultStackOptions, type StartedHub } from './fault-stack.ts'

/**
 * For suite items that break inputs, not services (1-10, 24-28): the shared MariaDB and Redis in a
 * private namespace (faster than private servers, and nothing here kills them), a private
 * Mosquitto (scanners use their device ids as MQTT client ids, which must not meet another run's
 * on the shared broker), hub child processes and the same catalog, inspector and scanner kit as a
 * fault stack, so `checkAll` and the workload run on it unchanged.
 */
export async function startSharedStack(options: Omit<FaultStackOptions, 'redis' | 'mosquitto'>) {
  const broker = await startPrivateMosquitto()
  const env = createTestEnv(options.label, { mqtt: broker.url })
  Object.assign(env.env, FAULT_HUB_ENV, options.hubEnv)
  const fixture = await seedFixture(env, {
    products: options.products ?? 8,
    locations: options.locations ?? 3,
    devices: options.devices ?? 4,
  })
  const inspect = await openInspector(env)
  const scanners = await createScannerKit(env)
  const hubs: StartedHub[] = []
  return {
    env,
    fixture,
    inspect,
    scanners,
    broker,
    hubs,
    /** Starts a hub process (all roles by default). */
    startHub: (overrides: Partial<Env> = {}, entry: 'server' | 'worker' = 'server') => startStackHub(env, hubs, overrides, entry),
    async close() {
      await scanners.close()
      await Promise.all(hubs.map((h) => h.stop('SIGKILL')))
      await inspect.close()
      await broker.close()
      await env.cleanup()
    },
  }
}

export type SharedStack = Awaited<ReturnType<typeof startSharedStack>>

/** A shared-services stack for a test file: started before its tests, removed after them. */
export function useSharedStack(options: Omit<FaultStackOptions, 'redis' | 'mosquitto'>): { readonly current: SharedStack } {
  const holder = {} as { current: SharedStack }
  beforeAll(async () => {
    holder.current = await startSharedStack(options)
  }, 120_000)
  afterAll(async () => {
    await holder.current?.close()
  }, 60_000)
  return holder
}
