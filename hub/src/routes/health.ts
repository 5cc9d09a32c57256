import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** `/health`: the process answers. `/ready`: MySQL, Redis and the MQTT broker all answer too. */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', async () => ({ status: 'ok' }))

  app.get('/ready', async (_request, reply) => {
    const check = async (probe: () => Promise<unknown>) =>
      probe().then(
        () => 'up' as const,
        () => 'down' as const,
      )
    const checks = {
      mysql: await check(() => app.database.pool.query('SELECT 1')),
      redis: await check(() => app.redis.ping()),
      mqtt: app.mqtt.connected ? ('up' as const) : ('down' as const),
    }
    const ready = Object.values(checks).every((c) => c === 'up')
    if (!ready) reply.code(503).header('Retry-After', '5')
    return { status: ready ? 'ready' : 'not ready', checks }
  })
}

export default health
