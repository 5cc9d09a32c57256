import { Queue, Worker, type Job } from 'bullmq'
import type { ReconcileScope } from '@wh/shared'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'

export const RECONCILE_QUEUE = 'reconcile'

/** Who asked for a run: the job schedulers, an admin through the API, or the CLI. */
export type RunTrigger = 'schedule' | 'api' | 'cli'

export interface RunJob {
  scope: ReconcileScope
  dryRun: boolean
  trigger: RunTrigger
  /** The run row the API made when it queued the run (scheduled runs make theirs when they start). */
  runId?: number
}

/** Job names of the reconcile queue and their payloads: one job name per scope. */
export type ReconcileJobs = Record<ReconcileScope, RunJob>
type JobName = keyof ReconcileJobs

/** Deterministic ids: a scheduler per scope (named as its scope), a requested run's job after its run row. */
export const requestedJobId = (runId: number) => `run-${runId}`

/** Thrown by the runner while another run holds the lock; a requested run waits and retries. */
export class RunLockedError extends Error {
  constructor() {
    super('another reconciliation run is in progress')
  }
}

export function createReconcileQueue(redis: Redis, prefix: string) {
  const queue = new Queue<RunJob, unknown, JobName>(RECONCILE_QUEUE, {
    connection: redis,
    prefix: `${prefix}:bull`,
    // A requested run that finds another in progress (the CLI's, say) is retried for minutes.
    defaultJobOptions: { attempts: 20, backoff: { type: 'fixed', delay: 15_000 }, removeOnComplete: 100, removeOnFail: 100 },
  })
  return {
    queue,
    /** Queues a run an admin asked for; its row is already made (status queued). */
    async request(runId: number, scope: ReconcileScope, dryRun: boolean) {
      const job = await queue.add(scope, { scope, dryRun, trigger: 'api', runId }, { jobId: requestedJobId(runId) })
      return job.id!
    },
    /**
     * The periodic runs, one scheduler per scope (0 turns one off). Upserting is idempotent, so
     * every worker instance may do it at start; the last one's settings win.
     */
    async schedule(every: Record<ReconcileScope, number>) {
      for (const scope of ['incremental', 'full'] as const) {
        if (every[scope] > 0) {
          await queue.upsertJobScheduler(
            scope,
            { every: every[scope] },
            { name: scope, data: { scope, dryRun: false, trigger: 'schedule' }, opts: { attempts: 1 } },
          )
        } else await queue.removeJobScheduler(scope)
      }
    },
    close: () => queue.close(),
  }
}

export type ReconcileQueue = ReturnType<typeof createReconcileQueue>

/**
 * The worker role's side. One run at a time cluster-wide: the queue's global concurrency is 1 and
 * each worker takes one job at a time (the runner's Redis lock also keeps the CLI out).
 */
export async function startReconcileWorker(
  redis: Redis,
  prefix: string,
  queue: ReconcileQueue['queue'],
  run: (job: RunJob, progress: (p: object) => void) => Promise<unknown>,
  log: Log,
) {
  await queue.setGlobalConcurrency(1)
  const worker = new Worker<RunJob, unknown, JobName>(
    RECONCILE_QUEUE,
    async (job: Job<RunJob, unknown, JobName>) => {
      try {
        return await run(job.data, (p) => void job.updateProgress(p).catch(() => undefined))
      } catch (err) {
        // A scheduled run that meets another simply yields: the next tick comes soon enough.
        if (err instanceof RunLockedError && job.data.trigger === 'schedule') return { skipped: true }
        throw err
      }
    },
    // A full run takes tens of seconds; the lock is renewed meanwhile, a crash hands it over.
    { connection: redis, prefix: `${prefix}:bull`, concurrency: 1, lockDuration: 60_000 },
  )
  worker.on('error', (err) => log.warn({ err: err.message }, 'reconcile worker error'))
  worker.on('failed', (job, err) => log.error({ err: err.message, job: job?.id }, 'reconciliation job failed'))
  return worker
}
