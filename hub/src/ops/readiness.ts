import type { Queue } from 'bullmq'
import type { Pool } from 'mysql2/promise'
import type { ServiceChecks } from '@wh/shared'
import type { Redis } from '../redis/redis-client.ts'

/** A probe that takes longer than this counts as down: a blackholed database must not hang /ready. */
export const PROBE_TIMEOUT_MS = 1000

type CheckResult = ServiceChecks[keyof ServiceChecks]

/** `work`'s result, or `fallback` once it fails or takes longer than `ms`. */
export async function within<T>(work: () => Promise<T>, fallback: T, ms = PROBE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))
  try {
    return await Promise.race([work().catch(() => fallback), timeout])
  } finally {
    clearTimeout(timer)
  }
}

const probe = (run: () => Promise<unknown>): Promise<CheckResult> =>
  within(async () => ((await run()) === 'paused' ? 'paused' : 'up'), 'down')

export interface ReadinessSources {
  pool: Pool
  redis: Redis
  mqttConnected: () => boolean
  queues: readonly Queue[]
}

/** Whether MySQL, Redis and the MQTT broker answer, and the BullMQ queues are reachable with none paused. */
export async function serviceChecks(sources: ReadinessSources): Promise<ServiceChecks> {
  const [mysql, redis, queues] = await Promise.all([
    probe(() => sources.pool.query('SELECT 1')),
    probe(() => sources.redis.ping()),
    probe(async () => ((await Promise.all(sources.queues.map((q) => q.isPaused()))).some(Boolean) ? 'paused' : 'up')),
  ])
  return { mysql, redis, mqtt: sources.mqttConnected() ? 'up' : 'down', queues }
}
