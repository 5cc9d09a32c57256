import { Queue } from 'bullmq'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import type { WebhookDelivery } from './delivery-types.ts'
import type { DeliveryRecords } from './delivery-records.ts'

export const WEBHOOK_QUEUE = 'webhook-delivery'
/** Job names of the webhook delivery queue and their payloads. */
export interface DeliveryJobs {
  /** One message, its subscription's head: sent, retried with backoff, delivered or dead. */
  deliver: { messageId: number; subscriptionId: number }
  /** The safety net: the head of every active subscription with messages owed (lost nudges, Redis loss, restarts). */
  sweep: Record<string, never>
}
export type DeliveryJobName = keyof DeliveryJobs
export type DeliveryQueue = Queue<DeliveryJobs[DeliveryJobName], void, DeliveryJobName>

/** The job of a message: one per row, so a message enqueued twice (nudge and sweep) is one job. */
export const deliverJobId = (messageId: number) => `msg-${messageId}`

export interface DeliveryQueueOptions {
  maxAttempts: number
  backoffMs: number
}

/**
 * The queue and the nudge. Only the head (lowest pending id) of each active subscription is ever
 * enqueued, so a subscription's messages go one at a time in id order; the worker enqueues the next
 * head when one is done. Retries use BullMQ's exponential backoff with jitter.
 */
export function createDeliveryQueue(redis: Redis, prefix: string, records: DeliveryRecords, options: DeliveryQueueOptions, log: Log) {
  const queue: DeliveryQueue = new Queue(WEBHOOK_QUEUE, {
    connection: redis,
    prefix: `${prefix}:bull`,
    defaultJobOptions: {
      attempts: options.maxAttempts,
      // Up to a fifth off each delay at random, so endpoints that failed together are not retried together.
      backoff: { type: 'exponential', delay: options.backoffMs, jitter: 0.2 },
      // Finished jobs go at once: a job id left behind would keep its message from being enqueued again.
      removeOnComplete: true,
      removeOnFail: true,
    },
  })

  /** Adds the current heads (all active subscriptions', or one's); a head already queued is left as it is. */
  async function enqueueHeads(subscriptionId?: number) {
    const heads = await records.heads(subscriptionId)
    if (heads.length === 0) return
    await queue.addBulk(
      heads.map(({ subscriptionId: sub, head }) => ({
        name: 'deliver' as const,
        data: { messageId: head, subscriptionId: sub },
        opts: { jobId: deliverJobId(head) },
      })),
    )
  }

  // One lookup at a time per key; calls during it fold into one more after it.
  const runs = new Map<string, { again: boolean; done: Promise<void> }>()
  const nudge: WebhookDelivery['nudge'] = (subscriptionId) => {
    const key = subscriptionId === undefined ? '*' : String(subscriptionId)
    const running = runs.get(key)
    if (running) {
      running.again = true
      return
    }
    const run = { again: false, done: Promise.resolve() }
    runs.set(key, run)
    run.done = (async () => {
      do {
        run.again = false
        await enqueueHeads(subscriptionId).catch((err: Error) => log.warn({ err: err.message, subscriptionId }, 'webhook nudge failed'))
      } while (run.again)
      runs.delete(key)
    })()
  }

  return {
    queue,
    enqueueHeads,
    nudge,
    async close() {
      await Promise.all([...runs.values()].map((r) => r.done))
      await queue.close()
    },
  }
}
