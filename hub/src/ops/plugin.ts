import fp from 'fastify-plugin'
import { Queue } from 'bullmq'
import { createHeldRepository } from '../held/held-repository.ts'
import { ORDER_QUEUE } from '../orders/order-expiry.ts'
import { RECONCILE_QUEUE } from '../reconcile/reconcile-queue.ts'
import { WEBHOOK_QUEUE } from '../webhooks/delivery-queue.ts'
import { WEBHOOK_SYNC_QUEUE } from '../webhooks/full-sync-queue.ts'
import { registerStateGauges } from '../metrics/state-gauges.ts'
import { registerStallGauge, type StallSources } from './pipeline-stall.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** What operators look at: every BullMQ queue of the installation, for the gauges, /ready and the queue view. */
    ops: {
      queues: readonly Queue[]
      /** The partitions' oldest waiting events against PIPELINE_STALL_SECONDS, for /ready and wh_partition_stalled. */
      stall: StallSources
    }
  }
}

/**
 * Operations' view of the domain: handles on every queue (the partition queues' own, and
 * read-side handles on the orders, reconciliation and webhook queues, which their plugins keep private)
 * and the gauges read at scrape time.
 */
export default fp(
  async function ops(app) {
    const prefix = `${app.config.REDIS_PREFIX}:bull`
    const own = [ORDER_QUEUE, RECONCILE_QUEUE, WEBHOOK_QUEUE, WEBHOOK_SYNC_QUEUE].map(
      (name) => new Queue(name, { connection: app.services.redis, prefix }),
    )
    const queues = [...app.partitionQueues.queues, ...own]
    const oldestWaiting = () => Promise.all(app.partitionQueues.queues.map((_, p) => app.inbox.oldestAdmitted(p)))
    const stall: StallSources = { thresholdSeconds: app.config.PIPELINE_STALL_SECONDS, oldestWaiting }
    app.decorate('ops', { queues, stall })

    const held = createHeldRepository(app.services.database.pool)
    registerStateGauges(app.metrics.registry, {
      queues,
      inboxLengths: () => Promise.all(app.partitionQueues.queues.map((_, p) => app.inbox.length(p))),
      oldestWaiting,
      heldPending: () => held.pending(),
      // Read at scrape time: the screens plugin, when this process has the API, registers later.
      screens: () => (app.hasDecorator('screens') ? app.screens.sites.size : 0),
      onError: (err) => app.log.debug({ err: err.message }, 'a metrics source failed; its last value stands'),
    })
    registerStallGauge(app.metrics.registry, stall, (err) =>
      app.log.debug({ err: err.message }, 'the stall gauge could not read; its last values stand'),
    )
    app.addHook('onClose', async () => {
      await Promise.all(own.map((q) => q.close()))
    })
  },
  { name: 'ops', dependencies: ['services', 'metrics', 'partition'] },
)
