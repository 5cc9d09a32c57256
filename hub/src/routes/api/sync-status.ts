import type { FastifyPluginAsync } from 'fastify'

/** How the floor screens are served: screens per instance, the stream's seq, each instance's lag, this process's memory. */
const syncStatus: FastifyPluginAsync = async (app) => {
  app.get('/api/sync-status', async () => {
    const { hub, reader, instances } = app.screens
    const [streamSeq, all] = await Promise.all([app.services.redis.get(app.services.liveCache.keys.seq), instances.list()])
    const seq = Number(streamSeq ?? 0)
    const memory = process.memoryUsage()
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
    return {
      instance: app.config.HUB_INSTANCE_ID,
      screens: hub.size,
      seq,
      lag: Math.max(0, seq - reader.lastSeq),
      totalScreens: all.reduce((n, i) => n + i.screens, 0),
      instances: all.map((i) => ({ ...i, lag: Math.max(0, seq - i.seq) })),
      /** This process, in MB: what a thousand screens cost shows here. */
      memory: { rss: mb(memory.rss), heapUsed: mb(memory.heapUsed), external: mb(memory.external), arrayBuffers: mb(memory.arrayBuffers) },
    }
  })
}

export default syncStatus
