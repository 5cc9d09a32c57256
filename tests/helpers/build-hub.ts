import { buildApp, type HubApp } from '../../hub/src/app.ts'
import type { Env } from '../../hub/src/config.ts'
import type { TestEnv } from './test-env.ts'

/** Boots a real hub in this process against the test env's namespace. Close it with `app.close()`. */
export async function buildHub(env: TestEnv, overrides: Partial<Env> = {}): Promise<HubApp> {
  return buildApp(env.config(overrides))
}
