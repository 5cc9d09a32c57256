import { Queue } from 'bullmq'
import type { Redis } from '../redis/redis-client.ts'
import { listeningKey } from '../partition/partition-inbox.ts'
import { partitionOfQueue } from '../partition/partition-queues.ts'
import { REPORT_LIMIT, type Violation } from './violation.ts'

export interface FailedJob {
  queue: string
  id: string
  name: string
  reason: string
  attempts: number
}

/** Every BullMQ queue under the prefix, found by its meta key, so none is missed as queues are added. */
async function queueNames(redis: Redis, prefix: string): Promise<string[]> {
  const names = new Set<string>()
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:bull:*:meta`, COUNT: 1000 }))
    for (const key of keys) names.add(key.slice(`${prefix}:bull:`.length, -':meta'.length))
  return [...names].sort()
}

/**
 * I7: the event pipeline is drained. No partition inbox holds an event, no event waits in the
 * device sequencer for a predecessor, and no queue has work waiting or running (a partition's drain
 * that only listens for new events is not work). Delayed jobs are
 * allowed only outside the partition queues (order expiries and reconciliation schedules are
 * meant to wait). Failed jobs are no violation but are listed, as an admin would see them.
 */
export async function checkQueues(redis: Redis, prefix: string): Promise<{ violations: Violation[]; failed: FailedJob[] }> {
  const violations: Violation[] = []
  const failed: FailedJob[] = []
  const report = (detail: string) => violations.length < REPORT_LIMIT && violations.push({ invariant: 'I7', detail })

  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:inbox:*`, COUNT: 1000 }))
    for (const key of keys) {
      const n = await redis.lLen(key)
      if (n > 0) report(`${key}: ${n} events not applied`)
    }
  const waiting = await redis.zCard(`${prefix}:seq:waiting`)
  if (waiting > 0) report(`${waiting} devices have events waiting for an earlier deviceSeq`)

  // A client of its own: each Queue adds listeners to its connection, and the caller's is not ours to load.
  const connection = redis.duplicate()
  connection.on('error', () => undefined)
  connection.setMaxListeners(0)
  await connection.connect()
  try {
    for (const name of await queueNames(redis, prefix)) {
      const queue = new Queue(name, { connection, prefix: `${prefix}:bull` })
      try {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed')
        const partition = partitionOfQueue(name)
        const isPartition = partition !== undefined
        // A drain listening for its partition's next events keeps its job active with nothing to do.
        const idle = isPartition && (await redis.exists(listeningKey(prefix, partition))) === 1
        const pending = counts.waiting! + (idle ? 0 : counts.active!) + counts.prioritized! + counts['waiting-children']!
        if (pending > 0 || (isPartition && counts.delayed! > 0))
          report(
            `queue ${name}: ${counts.waiting} waiting, ${counts.active} active, ${counts.delayed} delayed, ${counts.prioritized} prioritized`,
          )
        if (counts.failed! > 0)
          for (const job of await queue.getFailed(0, REPORT_LIMIT - 1))
            failed.push({ queue: name, id: String(job.id), name: job.name, reason: job.failedReason, attempts: job.attemptsMade })
      } finally {
        await queue.close()
      }
    }
  } finally {
    await connection.close()
  }
  return { violations, failed }
}
