import { afterAll, beforeAll } from 'vitest'
import type { HubApp } from '../../hub/src/app.ts'
import type { Env } from '../../hub/src/config.ts'
import { buildHub } from './build-hub.ts'
import { seedFixture, type Fixture } from './fixtures.ts'
import { openInspector, type Inspector } from './inspect.ts'
import { TestDevice } from './test-device.ts'
import { createTestEnv, type TestEnv } from './test-env.ts'

export interface ScenarioOptions {
  products: number
  locations: number
  devices: number
  /** One hub per entry, in this process; a function when a setting is known only at start. */
  hubs?: Partial<Env>[] | ((env: TestEnv) => Promise<Partial<Env>[]>)
}

export interface Scenario {
  env: TestEnv
  fixture: Fixture
  hubs: HubApp[]
  inspect: Inspector
  /** Connected devices, one per registered fixture device. */
  devices: TestDevice[]
}

/**
 * The usual integration setup: a private namespace with a migrated, registered catalog, real hubs
 * and connected devices before the tests, and everything closed and removed after them.
 */
export function useScenario(label: string, options: ScenarioOptions): Scenario {
  const scenario = { env: createTestEnv(label), hubs: [], devices: [] } as unknown as Scenario
  beforeAll(async () => {
    const { env } = scenario
    scenario.fixture = await seedFixture(env, options)
    const hubConfigs = typeof options.hubs === 'function' ? await options.hubs(env) : (options.hubs ?? [{}])
    for (const config of hubConfigs) scenario.hubs.push(await buildHub(env, config))
    scenario.inspect = await openInspector(env)
    scenario.devices = await Promise.all(scenario.fixture.devices.map((id) => TestDevice.connect(env, id)))
  })
  afterAll(async () => {
    await Promise.all(scenario.devices.map((d) => d.close()))
    await Promise.all(scenario.hubs.map((h) => h.close()))
    await scenario.inspect?.close()
    await scenario.env.cleanup()
  })
  return scenario
}
