import { Worker, type Job } from 'bullmq'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import { WEBHOOK_QUEUE, type DeliveryJobName, type DeliveryJobs, type DeliveryQueue } from './delivery-queue.ts'
import type { Attempt, DeliveryRecords } from './delivery-records.ts'
import type { DeliveryMetrics } from './delivery-metrics.ts'
import { sendMessage } from './delivery-sender.ts'

const SWEEP_EVERY_MS = 1000
/** Subscriptions delivered to at once by one worker process (each still one message at a time). */
const CONCURRENCY = 32
/**
 * A stock message's lag counts from the change it carries, unless that change is much older than
 * the message: then the message is a replay's copy, and its lag counts from the copy.
 */
const REPLAY_GAP_MS = 60_000

export interface DeliveryWorkerDeps {
  redis: Redis
  prefix: string
  queue: DeliveryQueue
  records: DeliveryRecords
  metrics: DeliveryMetrics
  /** The subscription's signing secret, opened from its sealed form. */
  secretOf: (attempt: Attempt) => string
  /** Pauses a subscription whose endpoint has failed for too long (audited). */
  pauseFailing: (subscriptionId: number) => Promise<unknown>
  enqueueHeads: (subscriptionId?: number) => Promise<void>
  settings: { maxAttempts: number; timeoutMs: number; pauseAfterMs: number }
  log: Log
}

/** Thrown to have BullMQ retry the message after its backoff; the row already records why. */
class AttemptFailed extends Error {}

/**
 * Delivers one head message: skipped if it is no longer owed, its subscription is not active, or an
 * earlier message of the subscription is still pending (then that one is enqueued); else sent, and
 * the row updated. A failure is retried by BullMQ until the row's attempts reach the maximum, then
 * the message is dead and the next goes. The row's attempts count across restarts and resumes.
 */
export function createDeliveryProcessor(deps: DeliveryWorkerDeps) {
  const { records, metrics, settings, log } = deps
  const next = (subscriptionId: number) => deps.enqueueHeads(subscriptionId)

  async function deliver({ messageId, subscriptionId }: DeliveryJobs['deliver']) {
    const state = await records.state(messageId)
    if (!state || state.subscriptionStatus !== 'active') return
    if (state.status !== 'pending' || (state.head !== null && state.head < messageId)) return next(subscriptionId)
    const attempt = await records.begin(messageId)
    if (!attempt) return next(subscriptionId)

    let result: Awaited<ReturnType<typeof sendMessage>>
    try {
      result = await sendMessage({ url: attempt.url, secret: deps.secretOf(attempt) }, attempt, settings.timeoutMs)
    } catch (err) {
      result = { ok: false, status: null, error: (err as Error).message }
    }
    if (result.ok) {
      await records.delivered(attempt, result)
      metrics.attempt('delivered')
      const changed = attempt.changedAt && attempt.changedAt.getTime() > attempt.createdAt.getTime() - REPLAY_GAP_MS
      metrics.delivered(changed ? attempt.changedAt! : attempt.createdAt)
      return next(subscriptionId)
    }
    const outcome = await records.failed(attempt, result, attempt.attempts >= settings.maxAttempts, settings.pauseAfterMs)
    metrics.attempt(outcome === 'dead' ? 'dead' : 'failed')
    log.info({ subscriptionId, messageId, attempts: attempt.attempts, outcome, error: result.error }, 'webhook attempt failed')
    if (outcome === 'retry') throw new AttemptFailed(result.error ?? 'failed')
    if (outcome === 'dead') return next(subscriptionId)
    // Paused: the message waits, its attempts kept, until the subscription is resumed.
    await deps.pauseFailing(subscriptionId)
    log.warn({ subscriptionId }, 'webhook subscription paused: its endpoint has failed for too long')
  }

  return async (job: Job<DeliveryJobs[DeliveryJobName], void, DeliveryJobName>) => {
    if (job.name === 'sweep') return deps.enqueueHeads()
    return deliver(job.data as DeliveryJobs['deliver'])
  }
}

/** The worker role's side: delivers, and sweeps every second as a job scheduler (one sweep cluster-wide). */
export async function startDeliveryWorker(deps: DeliveryWorkerDeps) {
  await deps.queue.upsertJobScheduler('sweep', { every: SWEEP_EVERY_MS }, { name: 'sweep', data: {} })
  const worker = new Worker<DeliveryJobs[DeliveryJobName], void, DeliveryJobName>(WEBHOOK_QUEUE, createDeliveryProcessor(deps), {
    connection: deps.redis,
    prefix: `${deps.prefix}:bull`,
    concurrency: CONCURRENCY,
  })
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'webhook worker error'))
  worker.on('failed', (job, err) => {
    if (!(err instanceof AttemptFailed)) deps.log.error({ err: err.message, job: job?.id }, 'webhook job failed')
  })
  return worker
}
