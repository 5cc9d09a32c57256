import fp from 'fastify-plugin'
import { startCacheRebuild } from './cache-rebuild.ts'

/** The workers keep the live cache whole: one that Redis lost is loaded again from the database. */
export default fp(
  async function live(app) {
    if (!app.config.roles.has('worker')) return
    const { redis, database, liveCache } = app.services
    const rebuild = startCacheRebuild({ redis, pool: database.pool, cache: liveCache, log: app.log.child({ module: 'worker' }) })
    app.addHook('onClose', () => rebuild.close())
  },
  { name: 'live', dependencies: ['services'] },
)
