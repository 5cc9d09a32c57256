import { Queue, Worker, type Job } from 'bullmq'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'

export const WEBHOOK_SYNC_QUEUE = 'webhook-sync'

/** Job names of the queue and their payloads. */
export interface WebhookSyncJobs {
  /** Every site with stock subscriptions, unless unchanged since its last run (WEBHOOK_FULL_SYNC_HOURS). */
  fallback: Record<string, never>
  /** A product was added or deactivated: every such site, unless unchanged. */
  changed: { requestedBy: string }
  /** The change log's retention (hourly). */
  prune: Record<string, never>
}
type JobName = keyof WebhookSyncJobs
type AnyJob = WebhookSyncJobs[JobName]

/** How long catalog changes are gathered into one `changed` run: an import adds many products at once. */
const CHANGED_DELAY_MS = 1000
const PRUNE_EVERY_MS = 3600_000

export function createFullSyncQueue(redis: Redis, prefix: string) {
  const queue = new Queue<AnyJob, unknown, JobName>(WEBHOOK_SYNC_QUEUE, {
    connection: redis,
    prefix: `${prefix}:bull`,
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 },
  })
  return {
    queue,
    /**
     * A `changed` run soon. Requests while one waits fold into it; one that comes while it runs
     * (it may have read the catalog already) gets a run after it.
     */
    async changed(requestedBy: string) {
      await queue.add('changed', { requestedBy }, { delay: CHANGED_DELAY_MS, deduplication: { id: 'changed', keepLastIfActive: true } })
    },
    /** The periodic jobs (idempotent upserts, so every worker may do it at start; 0 hours turns the fallback off). */
    async schedule(fullSyncHours: number) {
      if (fullSyncHours > 0)
        await queue.upsertJobScheduler(
          'fallback',
          { every: fullSyncHours * 3600_000 },
          { name: 'fallback', data: {}, opts: { attempts: 1 } },
        )
      else await queue.removeJobScheduler('fallback')
      await queue.upsertJobScheduler('prune', { every: PRUNE_EVERY_MS }, { name: 'prune', data: {}, opts: { attempts: 1 } })
    },
    close: () => queue.close(),
  }
}

export type FullSyncQueue = ReturnType<typeof createFullSyncQueue>

/** The worker role's side: one job at a time per worker; each job's work is serialised in MySQL anyway. */
export function startFullSyncWorker(
  redis: Redis,
  prefix: string,
  handle: { [K in JobName]: (data: WebhookSyncJobs[K]) => Promise<unknown> },
  log: Log,
) {
  const worker = new Worker<AnyJob, unknown, JobName>(
    WEBHOOK_SYNC_QUEUE,
    async (job: Job<AnyJob, unknown, JobName>) => (handle[job.name] as (data: AnyJob) => Promise<unknown>)(job.data),
    { connection: redis, prefix: `${prefix}:bull`, concurrency: 1 },
  )
  worker.on('error', (err) => log.warn({ err: err.message }, 'webhook sync worker error'))
  worker.on('failed', (job, err) => log.error({ err: err.message, job: job?.name }, 'webhook sync job failed'))
  return worker
}
