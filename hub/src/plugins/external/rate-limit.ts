import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import { Redis } from 'ioredis'
import type { Caller } from '../../auth/caller.ts'
import type { Config } from '../../config.ts'
import { HubError } from '../../errors.ts'

/**
 * A caller's budget per window: a shop's `orders` key and a person at the console get their own
 * (never below the default, so raising RATE_LIMIT_MAX raises them all); other keys, handhelds and
 * addresses without a valid key get RATE_LIMIT_MAX.
 */
export function budgetOf(
  config: Pick<Config, 'RATE_LIMIT_MAX' | 'RATE_LIMIT_ORDERS_MAX' | 'RATE_LIMIT_PERSON_MAX'>,
  caller: Caller | null,
) {
  if (caller?.kind === 'key' && caller.role === 'orders') return Math.max(config.RATE_LIMIT_ORDERS_MAX, config.RATE_LIMIT_MAX)
  if (caller?.kind === 'person') return Math.max(config.RATE_LIMIT_PERSON_MAX, config.RATE_LIMIT_MAX)
  return config.RATE_LIMIT_MAX
}

/**
 * Rate limits for one encapsulated scope (the authenticated routes), counted in Redis so every
 * hub instance shares each key's budget: `budgetOf` its caller per RATE_LIMIT_WINDOW_MS per API
 * key, person or handheld, answered 429 with Retry-After past it. Requests refused for their key
 * count against their address instead (`countFailure`), so guessing keys is limited too.
 *
 * @fastify/rate-limit's Redis store calls ioredis' `defineCommand` (a Lua script), which the
 * app's node-redis client does not have; ioredis here serves only this, on its own connection.
 * While Redis is away requests are let through (skipOnError) rather than refused: the limit
 * guards against a runaway client, not against the hub's own outage.
 */
export async function registerRateLimit(
  scope: FastifyInstance,
): Promise<{ countFailure?: (r: FastifyRequest, p: FastifyReply) => Promise<void> }> {
  const { config } = scope
  if (config.RATE_LIMIT_MAX === 0) return {}
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: 'rate-limit',
    // Each request's count is one script call: queued in the same tick, they go out in one write
    // (and one read of the answers) instead of a write each, which on a busy API was the largest
    // single cost of a request (a CPU profile of the stock-check loop). Counting is unchanged.
    enableAutoPipelining: true,
  })
  let lastWarned = 0
  redis.on('error', (err: Error) => {
    if (Date.now() - lastWarned < 10_000) return
    lastWarned = Date.now()
    scope.log.warn({ err: err.message }, 'rate-limit Redis connection failed; requests pass unlimited until it is back')
  })
  await redis.connect()
  scope.addHook('onClose', async () => redis.disconnect())

  await scope.register(rateLimit, {
    redis,
    nameSpace: `${config.REDIS_PREFIX}:rate:`,
    max: (request) => budgetOf(config, request.caller),
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    skipOnError: true,
    // Route-level onRequest: it runs after the scope's guard, so the key is known by then.
    hook: 'onRequest',
    keyGenerator: (request) => (request.caller ? `${request.caller.kind}:${request.caller.id}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => new HubError('RATE_LIMITED', `retry in ${context.after}`),
  })
  const failures = scope.rateLimit({ keyGenerator: (request) => `refused:${request.ip}` })
  return { countFailure: async (request, reply) => void (await failures.call(scope, request, reply)) }
}
