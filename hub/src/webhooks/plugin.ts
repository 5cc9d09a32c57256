import fp from 'fastify-plugin'
import { createDeliveryLog, type DeliveryLog } from './delivery-log.ts'
import { createDeliveryMetrics } from './delivery-metrics.ts'
import { createDeliveryQueue } from './delivery-queue.ts'
import { createDeliveryRecords } from './delivery-records.ts'
import type { WebhookDelivery } from './delivery-types.ts'
import { startDeliveryWorker } from './delivery-worker.ts'
import { createSubscriptionStore, type SubscriptionStore } from './subscription-store.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Webhook delivery: `nudge` after a commit that owes messages; the admin API's stores. */
    webhooks: WebhookDelivery & { subscriptions: SubscriptionStore; deliveries: DeliveryLog }
  }
}

/**
 * Webhook delivery: the subscriptions, the delivery log, the queue every process nudges, and (in
 * the worker role) the worker that sends each subscription's messages in order and the sweeper.
 */
export default fp(
  async function webhooks(app) {
    const { config, services } = app
    const log = app.log.child({ module: 'webhooks' })
    const { pool } = services.database
    const records = createDeliveryRecords(pool)
    const subscriptions = createSubscriptionStore({ database: services.database, box: services.secretBox })
    const deliveries = createDeliveryLog({ database: services.database })
    const queue = createDeliveryQueue(
      services.redis,
      config.REDIS_PREFIX,
      records,
      { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS },
      log,
    )
    const metrics = createDeliveryMetrics(app.metrics.registry, pool, (err) =>
      log.debug({ err: err.message }, 'a webhook metrics source failed; its last value stands'),
    )
    app.decorate('webhooks', { nudge: queue.nudge, subscriptions, deliveries })

    const worker = config.roles.has('worker')
      ? await startDeliveryWorker({
          redis: services.redis,
          prefix: config.REDIS_PREFIX,
          queue: queue.queue,
          records,
          metrics,
          secretOf: (attempt) => subscriptions.secretOf({ id: attempt.subscriptionId, secretSealed: attempt.secretSealed }),
          pauseFailing: (id) => subscriptions.pauseFailing(id),
          enqueueHeads: queue.enqueueHeads,
          settings: {
            maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
            timeoutMs: config.WEBHOOK_TIMEOUT_MS,
            pauseAfterMs: config.WEBHOOK_PAUSE_AFTER_MS,
          },
          log,
        })
      : undefined
    app.addHook('preClose', async () => {
      await worker?.close()
      await queue.close()
    })
  },
  { name: 'webhooks', dependencies: ['services', 'metrics'] },
)
