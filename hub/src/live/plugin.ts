import fp from 'fastify-plugin'
import { createLiveCache, type LiveCache } from './live-cache.ts'

declare module 'fastify' {
  interface FastifyInstance {
    liveCache: LiveCache
  }
}

export default fp(
  async function live(app) {
    app.decorate('liveCache', createLiveCache(app.redis, app.config.REDIS_PREFIX, app.config.STREAM_MAXLEN))
  },
  { name: 'live', dependencies: ['redis'] },
)
