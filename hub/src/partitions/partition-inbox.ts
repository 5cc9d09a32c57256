import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'

/**
 * Removes processed items from the head of an inbox, but only while the head is still the item
 * that was processed: if a stalled job was re-run beside the first run (BullMQ lock lapse), the
 * second trim finds other items at the head and removes nothing it did not process.
 */
const trimScript = luaScript(`
local removed = 0
for i = 1, #ARGV do
  if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[i] then break end
  redis.call('LPOP', KEYS[1])
  removed = removed + 1
end
return removed
`)

/** A partition's ordered backlog of admitted events; the partition's BullMQ job drains it. */
export function createPartitionInbox(redis: Redis, prefix: string) {
  const key = (partition: number) => `${prefix}:inbox:${partition}`
  return {
    key,
    read: (partition: number, max: number) => redis.lRange(key(partition), 0, max - 1),
    trim: async (partition: number, items: string[]) => Number(await trimScript(redis, [key(partition)], items)),
    length: (partition: number) => redis.lLen(key(partition)),
  }
}

export type PartitionInbox = ReturnType<typeof createPartitionInbox>
