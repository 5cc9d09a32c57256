import { scripts } from '../redis/scripts.ts'
import type { Redis } from '../redis/redis-client.ts'
import type { QueuedEvent } from './queued-event.ts'

/** Set while a drain listens for its partition's next events (its queue job stays active, idle). */
export const listeningKey = (prefix: string, partition: number) => `${prefix}:drain:listening:${partition}`

/**
 * A partition's ordered backlog of admitted events; the partition's BullMQ job drains it.
 *
 * A drain that finds its inbox empty may listen for a while instead of ending its job: while its
 * `listening` key exists, the sequencer announces new events on the wake channel instead of asking
 * for another drain job (a BullMQ job cycle costs more than a small batch). Both sides check the
 * inbox and the key atomically, in Lua, so an event is always either announced to the listening
 * drain or given a drain request; the key expires on its own if the listener dies. The drain's
 * steps are `redis/scripts/inbox-*.lua`.
 */
export function createPartitionInbox(redis: Redis, prefix: string) {
  const key = (partition: number) => `${prefix}:inbox:${partition}`
  const listening = (partition: number) => listeningKey(prefix, partition)
  const trimmed = (partition: number) => `${prefix}:inbox-trimmed:${partition}`
  return {
    key,
    /** Where the sequencer publishes the partition number of a listening drain that has new events. */
    wakeChannel: `${prefix}:drain:wake`,
    /**
     * Removes `applied` (the batch just applied, if any) and returns the next batch of at most
     * `max` items; with none and `listenMs` > 0 the drain now listens for that long.
     */
    advance: (partition: number, applied: string[], max: number, listenMs = 0) =>
      scripts.inboxAdvance(
        redis,
        [key(partition), listening(partition), trimmed(partition)],
        [applied.length, applied[0] ?? '', applied.at(-1) ?? '', max, listenMs],
      ),
    length: (partition: number) => redis.lLen(key(partition)),
    /**
     * Pushes trusted, already resolved events (an import's: no device, no ack) in the order given,
     * `[partition, item]` each. Returns where each partition's last one stands (see `through`) and
     * the partitions that need a drain job.
     */
    async pushTrusted(items: [partition: number, item: string][]) {
      const [ends, requests] = await scripts.inboxPush(redis, [], [prefix, ...items.flat()])
      const positions = new Map<number, number>()
      for (let i = 0; i < ends.length; i += 2) positions.set(Number(ends[i]), Number(ends[i + 1]))
      return { positions, partitions: requests.map(Number) }
    },
    /**
     * Per partition, how many items its drains have applied and removed since the inbox began, and
     * how many were ever pushed (that plus what is queued): an item pushed at position n is applied
     * once the first reaches n. Pushed below a position given out means the inbox was lost.
     */
    async through(partitions: number[]): Promise<Map<number, { trimmed: number; pushed: number }>> {
      if (partitions.length === 0) return new Map()
      // In one transaction: a trim between reading the count and the length would look like a lost inbox.
      const multi = redis.multi()
      for (const p of partitions) multi.get(trimmed(p)).lLen(key(p))
      const replies = (await multi.exec()) as unknown as (string | number | null)[]
      return new Map(
        partitions.map((p, i) => {
          const count = Number(replies[2 * i] ?? 0)
          return [p, { trimmed: count, pushed: count + Number(replies[2 * i + 1]) }]
        }),
      )
    },
    /** When the head of the inbox, its oldest event, was admitted (ms); null when it is empty. */
    async oldestAdmitted(partition: number): Promise<number | null> {
      const head = await redis.lIndex(key(partition), 0)
      return head === null ? null : ((JSON.parse(head) as QueuedEvent).receivedAt ?? null)
    },
    /** True when the drain stopped listening with nothing waiting; false when events are waiting. */
    unlisten: async (partition: number) => (await scripts.inboxUnlisten(redis, [key(partition), listening(partition)], [])) === 1,
  }
}

export type PartitionInbox = ReturnType<typeof createPartitionInbox>
