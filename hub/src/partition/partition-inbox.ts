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
        [key(partition), listening(partition)],
        [applied.length, applied[0] ?? '', applied.at(-1) ?? '', max, listenMs],
      ),
    length: (partition: number) => redis.lLen(key(partition)),
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
