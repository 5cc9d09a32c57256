import fp from 'fastify-plugin'
import { createClient } from 'redis'

export type Redis = ReturnType<typeof createClient>

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis
  }
}

export default fp(
  async function redis(app) {
    const client = createClient({
      url: app.config.REDIS_URL,
      socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    })
    // node-redis emits 'error' on every failed reconnect; unhandled it would crash the process.
    client.on('error', (err: Error) => app.log.warn({ err: err.message }, 'redis connection error'))
    // Every BullMQ queue and worker (two per partition) listens on this one shared client.
    client.setMaxListeners(0)
    await client.connect()
    app.decorate('redis', client)
    app.addHook('onClose', async () => {
      await client.close()
    })
  },
  { name: 'redis', dependencies: ['config'] },
)
