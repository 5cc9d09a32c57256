import fp from 'fastify-plugin'
import { createInstanceRegistry, type InstanceRegistry } from './instance-registry.ts'
import { createSiteScreens, type SiteScreens } from './site-screens.ts'

declare module 'fastify' {
  interface FastifyInstance {
    screens: { sites: SiteScreens; instances: InstanceRegistry }
  }
}

/**
 * The serving side of live state for this instance's floor screens: per site with screens here,
 * follows the site's delta stream and feed channel (blocking reads and pub/sub each on their own
 * Redis connection) and fans both out to the site's screen sockets.
 */
export default fp(
  async function screens(app) {
    const { config } = app
    const log = app.log.child({ module: 'screens' })
    const feedConnection = app.services.redis.duplicate()
    feedConnection.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'))
    await feedConnection.connect()
    const feedKeys = app.services.floorFeed.keys
    /** Each open site group's feed listener. */
    const listeners = new Map<string, (text: string) => void>()

    const sites = createSiteScreens({
      redis: app.services.redis,
      cache: app.services.liveCache,
      state: app.services.floorState,
      log,
      // Socket writes per second stay within the budget however many screens there are (one screen
      // gets every read at once, a thousand one coalesced message per tick), and unsent bytes
      // within the fan-out buffer: past it, deltas wait in Redis and coalesce, not in this heap.
      frameBudget: config.LIVE_FRAME_BUDGET,
      maxBufferedBytes: config.LIVE_MAX_BUFFERED_BYTES,
      fanoutBufferBytes: config.LIVE_FANOUT_BUFFER_BYTES,
      delivered: (deltas) => app.metrics.delivered(deltas.map((d) => d.at)),
      opened: async (site) => {
        const listener = (text: string) => sites.feed(text, site)
        listeners.set(site, listener)
        await feedConnection.subscribe(feedKeys.siteChannel(site), listener)
      },
      // This group's listener only: a group of the same site opening meanwhile keeps its own.
      closed: async (site) => {
        const listener = listeners.get(site)
        listeners.delete(site)
        if (listener) await feedConnection.unsubscribe(feedKeys.siteChannel(site), listener)
      },
    })

    const instances = createInstanceRegistry(app.services.redis, config.REDIS_PREFIX, config.HUB_INSTANCE_ID, config.LIVE_HEARTBEAT_MS)
    const heartbeat = setInterval(() => {
      sites.heartbeat()
      instances
        .report(Object.fromEntries(sites.groups.map((g) => [g.site, { screens: g.hub.size, seq: g.reader.lastSeq }])))
        .catch((err: Error) => log.warn({ err: err.message }, 'instance report failed'))
    }, config.LIVE_HEARTBEAT_MS)

    app.decorate('screens', { sites, instances })
    app.addHook('preClose', async () => {
      clearInterval(heartbeat)
      await Promise.all([sites.close(), feedConnection.close().catch(() => undefined), instances.leave().catch(() => undefined)])
    })
  },
  { name: 'screens', dependencies: ['services', 'metrics'] },
)
