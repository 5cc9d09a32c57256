import fp from 'fastify-plugin'
import { createDeltaReader, type DeltaReader } from './delta-reader.ts'
import { createScreenHub, type ScreenHub } from './screen-hub.ts'
import { createSnapshotSource } from './snapshot-source.ts'
import { createInstanceRegistry, type InstanceRegistry } from './instance-registry.ts'

declare module 'fastify' {
  interface FastifyInstance {
    screens: { hub: ScreenHub; reader: DeltaReader; instances: InstanceRegistry }
  }
}

/**
 * The serving side of live state for this instance's floor screens: follows the delta stream
 * and the floor feed (each on its own Redis connection, as blocking reads and pub/sub need)
 * and fans both out to the screen sockets.
 */
export default fp(
  async function screens(app) {
    const { config } = app
    const log = app.log.child({ module: 'screens' })
    const [streamConnection, feedConnection] = [app.services.redis.duplicate(), app.services.redis.duplicate()]
    for (const c of [streamConnection, feedConnection])
      c.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'))
    await Promise.all([streamConnection.connect(), feedConnection.connect()])

    const reader = createDeltaReader({
      reader: streamConnection,
      redis: app.services.redis,
      stream: app.services.liveCache.keys.stream,
      seqKey: app.services.liveCache.keys.seq,
      log,
      // Socket writes per second stay within the budget however many screens there are (one screen
      // gets every read at once, a thousand one coalesced message per tick), and unsent bytes
      // within the fan-out buffer: past it, deltas wait in Redis and coalesce, not in this heap.
      pace: () => hub.ready((hub.size * 1000) / config.LIVE_FRAME_BUDGET),
      wanted: () => hub.size > 0,
    })
    const hub = createScreenHub({
      reader,
      snapshots: createSnapshotSource(app.services.liveCache, app.services.floorState),
      log,
      maxBufferedBytes: config.LIVE_MAX_BUFFERED_BYTES,
      fanoutBufferBytes: config.LIVE_FANOUT_BUFFER_BYTES,
    })
    reader.start({
      deltas: (deltas) => {
        hub.deltas(deltas)
        if (hub.size > 0) app.metrics.delivered(deltas.map((d) => d.at))
      },
      reset: hub.resnapshot,
    })
    await feedConnection.subscribe(app.services.floorFeed.keys.channel, (text) => hub.feed(text))

    const instances = createInstanceRegistry(app.services.redis, config.REDIS_PREFIX, config.HUB_INSTANCE_ID, config.LIVE_HEARTBEAT_MS)
    const heartbeat = setInterval(() => {
      hub.heartbeat()
      instances
        .report({ screens: hub.size, seq: reader.lastSeq })
        .catch((err: Error) => log.warn({ err: err.message }, 'instance report failed'))
    }, config.LIVE_HEARTBEAT_MS)

    app.decorate('screens', { hub, reader, instances })
    app.addHook('preClose', async () => {
      clearInterval(heartbeat)
      hub.close()
      await Promise.all([reader.close(), feedConnection.close().catch(() => undefined), instances.leave().catch(() => undefined)])
    })
  },
  { name: 'screens', dependencies: ['services', 'metrics'] },
)
