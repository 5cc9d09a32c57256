import fp from 'fastify-plugin'
import type { ReconcileScope, Run } from '@wh/shared'
import { connectDatabase } from '../db/connection.ts'
import { createReconcileQueue, startReconcileWorker } from './reconcile-queue.ts'
import { createReconciler, RUN_CONNECTIONS, type Reconciler } from './reconciler.ts'

declare module 'fastify' {
  interface FastifyInstance {
    reconciliation: Reconciler & {
      /** Queues a run (made as a `queued` row first); a worker runs it when no other run is going. */
      request: (scope: ReconcileScope, dryRun: boolean, actor: string) => Promise<{ run: Run; jobId: string }>
    }
  }
}

/**
 * Reconciliation: every role can queue a run and read the history; the worker role runs them and
 * keeps the incremental and full schedulers.
 */
export default fp(
  async function reconciliation(app) {
    const { config } = app
    const log = app.log.child({ module: 'reconcile' })
    // Runs read several statements at once and correct a few levels in parallel: a pool of their own
    // (connections open only when used), so a full run never starves the partition workers.
    const database = connectDatabase(config.MYSQL_URL, RUN_CONNECTIONS)
    const reconciler = createReconciler({
      database,
      redis: app.services.redis,
      cache: app.services.liveCache,
      stock: app.services.stock,
      prefix: config.REDIS_PREFIX,
      chunk: config.RECONCILE_CHUNK,
      log,
      // Runs start and end in a worker, outside any request: the API scope cannot announce them.
      onRunChange: () => app.consoleChanges.announce({ topic: 'reconciliation' }),
      metrics: app.metrics,
    })
    const queue = createReconcileQueue(app.services.redis, config.REDIS_PREFIX)
    app.decorate('reconciliation', {
      ...reconciler,
      async request(scope: ReconcileScope, dryRun: boolean, actor: string) {
        const id = await reconciler.store.request(scope, dryRun, actor)
        const jobId = await queue.request(id, scope, dryRun)
        return { run: (await reconciler.store.get(id))!, jobId }
      },
    })

    let worker: Awaited<ReturnType<typeof startReconcileWorker>> | undefined
    if (config.roles.has('worker')) {
      await queue.schedule({ incremental: config.RECONCILE_INCREMENTAL_MS, full: config.RECONCILE_FULL_MS })
      worker = await startReconcileWorker(
        app.services.redis,
        config.REDIS_PREFIX,
        queue.queue,
        (job, progress) => reconciler.runner.run({ ...job, onProgress: progress }),
        log,
      )
    }
    app.addHook('preClose', async () => {
      await worker?.close()
      await queue.close()
    })
    app.addHook('onClose', async () => {
      await database.pool.end()
    })
  },
  { name: 'reconciliation', dependencies: ['services', 'console-changes', 'metrics'] },
)
