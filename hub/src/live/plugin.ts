import fp from 'fastify-plugin'
import { createLiveCache, type LiveCache } from './live-cache.ts'
import { createFloorFeed, type FloorFeed } from './floor-feed.ts'
import { createFloorState, type FloorState } from './floor-state.ts'
import { startCacheRebuild } from './cache-rebuild.ts'

declare module 'fastify' {
  interface FastifyInstance {
    liveCache: LiveCache
    floorFeed: FloorFeed
    floorState: FloorState
  }
}

/** Live state every role shares: the stock cache with its delta stream, the floor feed and its state. */
export default fp(
  async function live(app) {
    const { config } = app
    app.decorate('liveCache', createLiveCache(app.redis, config.REDIS_PREFIX, config.STREAM_MAXLEN))
    const feed = createFloorFeed(app.redis, config.REDIS_PREFIX, app.log.child({ module: 'floor-feed' }))
    app.decorate('floorFeed', feed)
    app.decorate('floorState', createFloorState(app.database.db, app.redis, config.REDIS_PREFIX))
    // The workers keep the cache whole: one that Redis lost is loaded again from the database.
    const rebuild = config.roles.has('worker')
      ? startCacheRebuild({ redis: app.redis, pool: app.database.pool, cache: app.liveCache, log: app.log.child({ module: 'worker' }) })
      : undefined
    // onClose runs in reverse order: after the workers stop, before Redis closes.
    app.addHook('onClose', () => {
      rebuild?.close()
      return feed.close()
    })
  },
  { name: 'live', dependencies: ['redis', 'db'] },
)
