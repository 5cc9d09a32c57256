import fp from 'fastify-plugin'
import { createOrderExpiryQueue, startOrderExpiryWorker } from './order-expiry.ts'
import { createOrderRepository, type OrderRepository } from './order-repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    orders: {
      repository: OrderRepository
      scheduleExpiry: (orderId: string, at: Date) => Promise<void>
      /** After an order change committed: its events are owed, so delivery may start at once. */
      eventsCommitted: () => void
    }
  }
}

/** Webhook delivery, where this hub runs it; it sweeps for owed messages anyway, so a lost nudge only delays. */
type Nudgeable = { webhooks?: { nudge?: (subscriptionId?: number) => unknown } }

/** Ordering-site reservations: the repository, their expiry jobs, and their effect on live stock. */
export default fp(
  async function orders(app) {
    const { config } = app
    const log = app.log.child({ module: 'orders' })
    const repository = createOrderRepository(app.services.database.pool, { idempotencyWaitS: config.IDEMPOTENCY_WAIT_SECONDS })
    const expiry = createOrderExpiryQueue(app.services.redis, config.REDIS_PREFIX)
    const eventsCommitted = () => {
      try {
        void Promise.resolve((app as Nudgeable).webhooks?.nudge?.()).catch((err: Error) =>
          log.warn({ err: err.message }, 'webhook nudge failed'),
        )
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'webhook nudge failed')
      }
    }

    /** Releases an order's reservation if it is past its time (the expiry job and the sweep). */
    async function expire(orderId: string) {
      const result = await repository.resolve(orderId, 'expire', 'expiry')
      if (result.found && result.after === 'expired' && result.before !== 'expired') {
        log.info({ orderId }, 'reservation expired')
        eventsCommitted()
        await app.services.stock.levels(result.changed)
      }
    }
    app.decorate('orders', { repository, scheduleExpiry: expiry.schedule, eventsCommitted })

    const worker = config.roles.has('worker')
      ? await startOrderExpiryWorker(
          app.services.redis,
          config.REDIS_PREFIX,
          expiry.queue,
          { expire, overdue: () => repository.overdue() },
          log,
        )
      : undefined
    app.addHook('preClose', async () => {
      await worker?.close()
      await expiry.close()
    })
  },
  { name: 'orders', dependencies: ['services'] },
)
