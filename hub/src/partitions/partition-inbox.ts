import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'

/**
 * Removes the processed items from the head of an inbox, but only while the head is still what
 * was processed (its first and last items match): if a stalled job was re-run beside the first
 * run (BullMQ lock lapse), the later trim finds other items there and removes nothing.
 */
const trimScript = luaScript(`
local n = tonumber(ARGV[1])
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[2] or redis.call('LINDEX', KEYS[1], n - 1) ~= ARGV[3] then return 0 end
redis.call('LTRIM', KEYS[1], n, -1)
return n
`)

/** Set while a drain listens for its partition's next events (its queue job stays active, idle). */
export const listeningKey = (prefix: string, partition: number) => `${prefix}:drain:listening:${partition}`

/** Marks the partition's drain as listening, unless events arrived since its last read. */
const listenScript = luaScript(`
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return 1
`)

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
    read: (partition: number, max: number) => redis.lRange(key(partition), 0, max - 1),
    trim: async (partition: number, items: string[]) =>
      items.length === 0 ? 0 : Number(await trimScript(redis, [key(partition)], [items.length, items[0]!, items.at(-1)!])),
    length: (partition: number) => redis.lLen(key(partition)),
    /** True when the drain now listens (for at most `ttlMs`); false when events are waiting. */
    listen: async (partition: number, ttlMs: number) =>
      Number(await listenScript(redis, [key(partition), listening(partition)], [ttlMs])) === 1,
    /** True when the drain stopped listening with nothing waiting; false when events are waiting. */
    unlisten: async (partition: number) => Number(await unlistenScript(redis, [key(partition), listening(partition)], [])) === 1,
  }
}

export type PartitionInbox = ReturnType<typeof createPartitionInbox>
