import { afterAll, beforeAll } from 'vitest'
import type { Env } from '../../../hub/src/config.ts'
import { seedFixture, type Fixture } from '../../helpers/fixtures.ts'
import { startHubProcess, type HubProcess } from '../../helpers/hub-process.ts'
import { openInspector, type Inspector } from '../../helpers/inspect.ts'
import { startPrivateMosquitto, type PrivateMosquittoOptions } from '../../helpers/private-mosquitto.ts'
import { createScannerKit, type ScannerKit } from '../../helpers/scanners.ts'
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.ts'
import { createTestEnv, type TestEnv } from '../../helpers/test-env.ts'
import { startPrivateMariadb } from './private-mariadb.ts'
import { startPrivateRedis, type PrivateRedisOptions } from './private-redis.ts'

export interface FaultStackOptions {
  label: string
  products?: number
  locations?: number
  devices?: number
  redis?: PrivateRedisOptions
  mosquitto?: PrivateMosquittoOptions
  /** Settings for every hub this stack starts (on top of FAULT_HUB_ENV). */
  hubEnv?: Partial<Env>
}

/**
 * Hub settings for fault tests. A gap waits long enough for a device's resend to fill it (its
 * backoff is capped at 2 s below), so events apply in device order and the reference model holds;
 * the reconciliation never runs by itself, so what the invariants see is the pipeline's own work,
 * not a later repair.
 */
export const FAULT_HUB_ENV: Partial<Env> = {
  SEQUENCE_GAP_WAIT_MS: 20_000,
  RECONCILE_INCREMENTAL_MS: 0,
  RECONCILE_FULL_MS: 0,
  PARTITIONS: 4,
  BATCH_MAX: 100,
}

/** Scanner settings for fault tests: quick resends so recovery fits in I4's 30 s. */
export const FAULT_SCANNER = { ackTimeoutMs: 1000, maxBackoffMs: 2000 }

export type ServiceName = 'mysql' | 'redis' | 'mqtt'

export interface StartedHub extends HubProcess {
  /** The HTTP address, for hubs with the `api` role. */
  url?: string
}

/** Starts a hub process for a stack, with its HTTP address when it serves one, kept in `hubs` for the stack's close. */
export async function startStackHub(
  env: TestEnv,
  hubs: StartedHub[],
  overrides: Partial<Env>,
  entry: 'server' | 'worker',
): Promise<StartedHub> {
  const hub: StartedHub = await startHubProcess(env, entry, overrides)
  const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(hub.output())
  if (listening) hub.url = listening[1]
  hubs.push(hub)
  return hub
}

/**
 * Everything a fault test needs, all of its own: a private mariadbd, redis-server and mosquitto
 * (so it may kill them), a migrated and registered catalog, hub child processes, TCP proxies to
 * put between a hub and a service, and scanners with durable outboxes.
 */
export async function startFaultStack(options: FaultStackOptions) {
  const [mariadb, redis, broker] = await Promise.all([
    startPrivateMariadb(),
    startPrivateRedis(options.redis),
    startPrivateMosquitto(options.mosquitto),
  ])
  const env = createTestEnv(options.label, { mysql: mariadb.url, redis: redis.url, mqtt: broker.url })
  Object.assign(env.env, FAULT_HUB_ENV, options.hubEnv)
  const fixture = await seedFixture(env, {
    products: options.products ?? 8,
    locations: options.locations ?? 3,
    devices: options.devices ?? 4,
  })
  const inspect = await openInspector(env)
  const scanners = await createScannerKit(env)
  const hubs: StartedHub[] = []
  const proxies: TcpProxy[] = []
  const ports: Record<ServiceName, number> = { mysql: mariadb.port, redis: redis.port, mqtt: broker.port }

  return {
    env,
    fixture,
    inspect,
    scanners,
    services: { mariadb, redis, broker },
    hubs,
    /** A proxy in front of a service, and the service's URL through it (for a hub's settings). */
    async proxy(service: ServiceName) {
      const proxy = await startTcpProxy(ports[service])
      proxies.push(proxy)
      // URL.origin is "null" for mysql: and mqtt:, so the address is put together by hand.
      const direct = new URL(env.urls[service])
      const user = direct.username ? `${direct.username}@` : ''
      const path = service === 'mysql' ? `/${env.database}` : ''
      return { proxy, url: `${direct.protocol}//${user}127.0.0.1:${proxy.port}${path}` }
    },
    /** Starts a hub process (all roles by default), its fault point or links set by `overrides`. */
    startHub: (overrides: Partial<Env> = {}, entry: 'server' | 'worker' = 'server') => startStackHub(env, hubs, overrides, entry),
    async close() {
      await scanners.close()
      await Promise.all(hubs.map((h) => h.stop('SIGKILL')))
      await Promise.all(proxies.map((p) => p.close()))
      await inspect.close()
      await Promise.all([mariadb.close(), redis.close(), broker.close()])
    },
  }
}

export type FaultStack = Awaited<ReturnType<typeof startFaultStack>>

/** A fault stack for a test file: started before its tests, torn down after them. */
export function useFaultStack(options: FaultStackOptions): { readonly current: FaultStack } {
  const holder = {} as { current: FaultStack }
  beforeAll(async () => {
    holder.current = await startFaultStack(options)
  }, 120_000)
  afterAll(async () => {
    await holder.current?.close()
  }, 60_000)
  return holder
}

export type { TestEnv, Fixture, Inspector, ScannerKit }
