import { Worker } from 'bullmq'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import type { PartitionInbox } from './partition-inbox.ts'
import { DRAIN_JOB, drainDedupeId, partitionQueueName, type DrainJob, type PartitionQueues } from './partition-queues.ts'

const INBOX_SWEEP_MS = 2000

export interface DrainWorkersDeps {
  redis: Redis
  prefix: string
  queues: PartitionQueues
  inbox: PartitionInbox
  /** Applies what is queued in the partition; true when it stopped with events still queued. */
  drain: (partition: number) => Promise<boolean>
  log: Log
}

/**
 * The workers of the partition queues: one per queue, each running one drain at a time across
 * all instances, and a sweep that asks again for the drain of any inbox left with events.
 */
export function startDrainWorkers({ redis, prefix, queues, inbox, drain, log }: DrainWorkersDeps) {
  const workers = queues.queues.map((queue, p) => {
    const worker = new Worker<DrainJob, void, typeof DRAIN_JOB>(
      partitionQueueName(p),
      async (job) => {
        // Released before reading, so an event pushed from now on gets a drain of its own.
        await queue.removeDeduplicationKey(drainDedupeId(job.data.partition))
        // Bounded rounds per job, so a busy partition's lock turns over; the rest gets a new drain.
        if (await drain(job.data.partition)) await queues.requestDrain([job.data.partition])
      },
      {
        connection: redis,
        prefix: `${prefix}:bull`,
        concurrency: 1,
        // A crashed worker's drain is handed to another within ~15 s (docs/reliability.md, I8).
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    )
    worker.on('error', (err) => log.warn({ err: err.message, partition: p }, 'worker error'))
    // A drain whose worker died or blocked past its lock: it runs again, here or elsewhere (I7).
    worker.on('stalled', (jobId) => log.warn({ partition: p, jobId }, 'drain job stalled; re-run'))
    worker.on('failed', (job, err) =>
      log.error({ err: err.message, partition: p, jobId: job?.id, attempts: job?.attemptsMade }, 'drain failed'),
    )
    return worker
  })

  // Catches inboxes whose drain request was lost (a hub that died between push and request).
  const sweep = setInterval(() => {
    void Promise.all(queues.queues.map((_, p) => inbox.length(p)))
      .then((lengths) => queues.requestDrain(lengths.flatMap((n, p) => (n > 0 ? [p] : []))))
      .catch((err) => log.warn({ err: err.message }, 'inbox sweep failed'))
  }, INBOX_SWEEP_MS)

  return {
    async close() {
      clearInterval(sweep)
      await Promise.all(workers.map((w) => w.close()))
    },
  }
}
