import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'
import type { QueuedEvent } from './queued-event.ts'

/**
 * One step of a drain, in one round trip: removes the items it has applied from the head of the
 * inbox, reads the next `max` (ARGV[4]), and with none left and a listen time (ARGV[5], ms) marks
 * the drain as listening. The head is removed only while it is still what was applied (its first
 * and last items match): if a stalled job was re-run beside the first run (BullMQ lock lapse), the
 * later step finds other items there and removes nothing. Listening is marked in the same call as
 * the empty read, so no event can arrive between them unannounced.
 */
const advanceScript = luaScript(`
local n = tonumber(ARGV[1])
if n > 0 and redis.call('LINDEX', KEYS[1], 0) == ARGV[2] and redis.call('LINDEX', KEYS[1], n - 1) == ARGV[3] then
  redis.call('LTRIM', KEYS[1], n, -1)
end
local max, listen_ms = tonumber(ARGV[4]), tonumber(ARGV[5])
if max == 0 then return {} end
local items = redis.call('LRANGE', KEYS[1], 0, max - 1)
if #items == 0 and listen_ms > 0 then redis.call('SET', KEYS[2], '1', 'PX', listen_ms) end
return items
`)

/** Set while a drain listens for its partition's next events (its queue job stays active, idle). */
export const listeningKey = (prefix: string, partition: number) => `${prefix}:drain:listening:${partition}`

/** Ends the listening, unless events arrived since its last read (they were told to no one else). */
const unlistenScript = luaScript(`
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
redis.call('DEL', KEYS[2])
return 1
`)

/**
 * A partition's ordered backlog of admitted events; the partition's BullMQ job drains it.
 *
 * A drain that finds its inbox empty may listen for a while instead of ending its job: while its
 * `listening` key exists, the sequencer announces new events on the wake channel instead of asking
 * for another drain job (a BullMQ job cycle costs more than a small batch). Both sides check the
 * inbox and the key atomically, in Lua, so an event is always either announced to the listening
 * drain or given a drain request; the key expires on its own if the listener dies.
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
    advance: async (partition: number, applied: string[], max: number, listenMs = 0) =>
      (await advanceScript(
        redis,
        [key(partition), listening(partition)],
        [applied.length, applied[0] ?? '', applied.at(-1) ?? '', max, listenMs],
      )) as string[],
    length: (partition: number) => redis.lLen(key(partition)),
    /** When the head of the inbox, its oldest event, was admitted (ms); null when it is empty. */
    async oldestAdmitted(partition: number): Promise<number | null> {
      const head = await redis.lIndex(key(partition), 0)
      return head === null ? null : ((JSON.parse(head) as QueuedEvent).receivedAt ?? null)
    },
    /** True when the drain stopped listening with nothing waiting; false when events are waiting. */
    unlisten: async (partition: number) => Number(await unlistenScript(redis, [key(partition), listening(partition)], [])) === 1,
  }
}

export type PartitionInbox = ReturnType<typeof createPartitionInbox>
