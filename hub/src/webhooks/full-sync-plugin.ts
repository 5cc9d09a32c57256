import fp from 'fastify-plugin'
import { createChangeLog } from '../stock/change-log.ts'
import { pruneChanges } from './change-prune.ts'
import { createFullSync, type FullSync, type SyncReason } from './full-sync.ts'
import { createFullSyncQueue, startFullSyncWorker } from './full-sync-queue.ts'
import { createStockFanout, startStockFanout, type Nudge } from './stock-fanout.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Full syncs of a site's stock to its webhooks, and their log. */
    webhookSync: FullSync
  }
}

/**
 * Stock pushed to webhooks: every role can run a full sync (the API's forced one) and read their
 * log; the worker role runs the fan-out loop, the fallback and catalog-change syncs, and the
 * change log's retention. Delivery (`app.webhooks`) takes the messages from there.
 */
export default fp(
  async function webhookSync(app) {
    const { config } = app
    const { pool } = app.services.database
    const log = app.log.child({ module: 'webhook-sync' })
    const changeLog = createChangeLog(pool)
    const nudge: Nudge = (id) => app.webhooks.nudge(id)
    const fullSync = createFullSync({ pool, changeLog, nudge })
    app.decorate('webhookSync', fullSync)

    const queue = createFullSyncQueue(app.services.redis, config.REDIS_PREFIX)
    app.onProductListing((change) =>
      queue.changed('system').catch((err: Error) => log.warn({ err: err.message, sku: change.sku }, 'catalog change sync not queued')),
    )

    let stop = async () => {}
    if (config.roles.has('worker')) {
      const loop = startStockFanout(createStockFanout({ pool, changeLog, nudge }), { coalesceMs: config.WEBHOOK_COALESCE_MS, log })
      app.services.stock.onChange(() => loop.nudge())
      const syncAll = async (reason: SyncReason, requestedBy: string) => {
        const runs = []
        for (const site of await fullSync.sites()) runs.push(await fullSync.run(site, reason, requestedBy))
        return runs.map((r) => ({ site: r.site, id: r.id, skipped: r.skipped, messages: r.messages }))
      }
      await queue.schedule(config.WEBHOOK_FULL_SYNC_HOURS)
      const worker = startFullSyncWorker(
        app.services.redis,
        config.REDIS_PREFIX,
        {
          fallback: () => syncAll('fallback', 'system'),
          changed: (job) => syncAll('changed', job.requestedBy),
          prune: async () => ({ dropped: await pruneChanges(pool, changeLog, config.STOCK_CHANGES_KEEP_HOURS) }),
        },
        log,
      )
      stop = async () => {
        await loop.close()
        await worker.close()
      }
    }
    app.addHook('preClose', async () => {
      await stop()
      await queue.close()
    })
  },
  { name: 'webhook-sync', dependencies: ['services', 'catalog', 'webhooks'] },
)
