import { Queue } from 'bullmq'
import type { Redis } from '../redis/redis-client.ts'

/** The one job kind of a partition queue: drain that partition's inbox. */
export const DRAIN_JOB = 'drain'
export interface DrainJob {
  partition: number
}

export const partitionQueueName = (partition: number) => `partition-${partition}`
/** The partition a queue name belongs to, or undefined for another queue. */
export function partitionOfQueue(name: string): number | undefined {
  const match = /^partition-(\d+)$/.exec(name)
  return match ? Number(match[1]) : undefined
}
export const drainDedupeId = (partition: number) => `drain-${partition}`

/**
 * One BullMQ queue per partition, each limited to one active job across all hub instances, so a
 * product's events are applied one batch at a time, in inbox order.
 */
export async function openPartitionQueues(redis: Redis, prefix: string, partitions: number) {
  const queues = Array.from(
    { length: partitions },
    (_, p) =>
      new Queue<DrainJob, void, typeof DRAIN_JOB>(partitionQueueName(p), {
        connection: redis,
        prefix: `${prefix}:bull`,
        defaultJobOptions: {
          attempts: 10,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      }),
  )
  await Promise.all(queues.map((q) => q.setGlobalConcurrency(1)))
  return {
    queues,
    /**
     * Asks for a drain of each partition. Deduplicated: at most one drain waits per partition;
     * the running drain removes the key before it reads, so nothing pushed later is missed.
     */
    async requestDrain(partitions: Iterable<number>) {
      await Promise.all(
        [...new Set(partitions)].map((p) => queues[p]!.add(DRAIN_JOB, { partition: p }, { deduplication: { id: drainDedupeId(p) } })),
      )
    },
    close: () => Promise.all(queues.map((q) => q.close())),
  }
}

export type PartitionQueues = Awaited<ReturnType<typeof openPartitionQueues>>
