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

/** A partition's ordered backlog of admitted events; the partition's BullMQ job drains it. */
export function createPartitionInbox(redis: Redis, prefix: string) {
  const key = (partition: number) => `${prefix}:inbox:${partition}`
  return {
    key,
    read: (partition: number, max: number) => redis.lRange(key(partition), 0, max - 1),
    trim: async (partition: number, items: string[]) =>
      items.length === 0 ? 0 : Number(await trimScript(redis, [key(partition)], [items.length, items[0]!, items.at(-1)!])),
    length: (partition: number) => redis.lLen(key(partition)),
  }
}

export type PartitionInbox = ReturnType<typeof createPartitionInbox>
