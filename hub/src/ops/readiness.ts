import type { Queue } from 'bullmq'
import type { Pool } from 'mysql2/promise'
import type { HubRole, Readiness, ReadinessWarning, ServiceChecks } from '@wh/shared'
import type { Redis } from '../redis/redis-client.ts'
import { stalledPartitions, type StallSources } from './pipeline-stall.ts'

/** A probe that takes longer than this counts as down: a blackholed database must not hang /ready. */
export const PROBE_TIMEOUT_MS = 1000

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

type Service = Extract<ReadinessWarning, { code: 'SERVICE_DOWN' }>['service']

/**
 * The services each role cannot work without. The API answers stock checks and orders from
 * Redis and MySQL; ingest takes events from the broker into Redis; workers apply them from Redis
 * to MySQL. Every role also needs the BullMQ queues to be reachable (they live in Redis).
 */
export const SERVICES_NEEDED: Readonly<Record<HubRole, readonly Service[]>> = {
  api: ['mysql', 'redis'],
  ingest: ['mqtt', 'redis'],
  worker: ['mysql', 'redis'],
}

const SERVICE_NAMES: Record<Service, string> = { mysql: 'MySQL', redis: 'Redis', mqtt: 'The MQTT broker' }

export interface ReadinessSources {
  roles: ReadonlySet<HubRole>
  pool: Pool
  redis: Redis
  mqttConnected: () => boolean
  queues: readonly Queue[]
  /** Given, stalled partitions are named as warnings (a worker's /ready, the console's health page). */
  pipeline?: StallSources
}

const up = (run: () => Promise<unknown>) =>
  within<'up' | 'down'>(async () => {
    await run()
    return 'up'
  }, 'down')

/** The names of the paused queues; null when they cannot be read. */
const pausedQueues = (queues: readonly Queue[]) =>
  within<string[] | null>(async () => {
    const paused = await Promise.all(queues.map((q) => q.isPaused()))
    return queues.filter((_, i) => paused[i]).map((q) => q.name)
  }, null)

/**
 * Whether this process can do its roles' work now: the services its roles need answer (MySQL,
 * Redis, the broker, each probe cut off after PROBE_TIMEOUT_MS) and the queues are reachable.
 * What does not stop that work is a warning: a service only other roles need, a paused queue
 * (one click in the queue view), a stalled partition.
 */
export async function readiness(sources: ReadinessSources): Promise<Readiness> {
  const [mysql, redis, paused, stalls] = await Promise.all([
    up(() => sources.pool.query('SELECT 1')),
    up(() => sources.redis.ping()),
    pausedQueues(sources.queues),
    sources.pipeline ? within(() => stalledPartitions(sources.pipeline!), []) : [],
  ])
  const checks: ServiceChecks = {
    mysql,
    redis,
    mqtt: sources.mqttConnected() ? 'up' : 'down',
    queues: paused === null ? 'down' : paused.length > 0 ? 'paused' : 'up',
  }
  const roles = [...sources.roles]
  const needed = new Set(roles.flatMap((role) => SERVICES_NEEDED[role]))
  const warnings: ReadinessWarning[] = []
  for (const service of ['mysql', 'redis', 'mqtt'] as const) {
    if (needed.has(service) || checks[service] !== 'down') continue
    const message = `${SERVICE_NAMES[service]} is down; this process (${roles.join(', ')}) does not need it`
    warnings.push({ code: 'SERVICE_DOWN', message, service })
  }
  if (paused?.length) {
    const message = `Paused: ${paused.join(', ')}; their jobs wait until resumed`
    warnings.push({ code: 'QUEUE_PAUSED', message, queues: paused })
  }
  for (const { partition, ageSeconds } of stalls) {
    const message = `Partition ${partition}'s oldest waiting event has waited ${ageSeconds} s (stalled past ${sources.pipeline!.thresholdSeconds} s)`
    warnings.push({ code: 'PARTITION_STALLED', message, partition, ageSeconds })
  }
  const ready = [...needed].every((service) => checks[service] === 'up') && checks.queues !== 'down'
  return { status: ready ? 'ready' : 'not ready', roles, checks, warnings }
}
