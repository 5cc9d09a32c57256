import { Queue, Worker } from 'bullmq'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'

export const ORDER_QUEUE = 'orders'
/** Job names of the orders queue and their payloads. */
export interface OrderJobs {
  /** One order's reservation ends unless it was confirmed first. */
  expire: { orderId: string }
  /** The safety net: every pending order past its time (a delayed job lost with Redis). */
  'expire-overdue': Record<string, never>
}
type OrderJobName = keyof OrderJobs

const SWEEP_EVERY_MS = 15_000

/** Delayed expiry jobs for orders, one per order (its id is the job id, so adding twice is one job). */
export function createOrderExpiryQueue(redis: Redis, prefix: string) {
  const queue = new Queue<OrderJobs[OrderJobName], void, OrderJobName>(ORDER_QUEUE, {
    connection: redis,
    prefix: `${prefix}:bull`,
    defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 },
  })
  return {
    queue,
    async schedule(orderId: string, at: Date) {
      await queue.add('expire', { orderId }, { jobId: `expire-${orderId}`, delay: Math.max(0, at.getTime() - Date.now()) })
    },
    close: () => queue.close(),
  }
}

/** The worker role's side: runs expiries, and the overdue sweep as a job scheduler. */
export async function startOrderExpiryWorker(
  redis: Redis,
  prefix: string,
  queue: Queue<OrderJobs[OrderJobName], void, OrderJobName>,
  handlers: { expire: (orderId: string) => Promise<void>; overdue: () => Promise<string[]> },
  log: Log,
) {
  await queue.upsertJobScheduler('expire-overdue', { every: SWEEP_EVERY_MS }, { name: 'expire-overdue', data: {} })
  const worker = new Worker<OrderJobs[OrderJobName], void, OrderJobName>(
    ORDER_QUEUE,
    async (job) => {
      if (job.name === 'expire') return handlers.expire((job.data as OrderJobs['expire']).orderId)
      for (const orderId of await handlers.overdue()) await handlers.expire(orderId)
    },
    { connection: redis, prefix: `${prefix}:bull`, concurrency: 4 },
  )
  worker.on('error', (err) => log.warn({ err: err.message }, 'order worker error'))
  worker.on('failed', (job, err) => log.error({ err: err.message, job: job?.id }, 'order job failed'))
  return worker
}
