import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** A probe that takes longer than this counts as down: a blackholed database must not hang /ready. */
const PROBE_TIMEOUT_MS = 1000

type CheckResult = 'up' | 'down' | 'paused'

async function probe(run: () => Promise<CheckResult | unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<CheckResult>((resolve) => (timer = setTimeout(() => resolve('down'), PROBE_TIMEOUT_MS)))
  const result = run().then(
    (r) => (r === 'paused' ? 'paused' : 'up'),
    () => 'down' as const,
  )
  try {
    return await Promise.race([result, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `/health`: the process answers (liveness). `/ready`: MySQL, Redis, the MQTT broker and the
 * BullMQ queues (reachable, none paused) all answer too; 503 with Retry-After when one does not,
 * so a load balancer sends the ordering site elsewhere meanwhile.
 */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }))

  app.get('/ready', { logLevel: 'warn' }, async (_request, reply) => {
    const [mysql, redis, queues] = await Promise.all([
      probe(() => app.services.database.pool.query('SELECT 1')),
      probe(() => app.services.redis.ping()),
      probe(async () => ((await Promise.all(app.ops.queues.map((q) => q.isPaused()))).some(Boolean) ? 'paused' : 'up')),
    ])
    const checks = { mysql, redis, mqtt: app.mqtt.connected ? ('up' as const) : ('down' as const), queues }
    const ready = Object.values(checks).every((c) => c === 'up')
    if (!ready) reply.code(503).header('Retry-After', '5')
    return { status: ready ? 'ready' : 'not ready', checks }
  })
}

export default health
