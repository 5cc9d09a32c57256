-- One step of a drain: removes the items it has applied from the head of the inbox, reads the
-- next max, and with none left and a listen time marks the drain as listening. The head is
-- removed only while it is still what was applied (its first and last items match): if a stalled
-- job was re-run beside the first run (BullMQ lock lapse), the later step finds other items there
-- and removes nothing. Listening is marked in the same call as the empty read, so no event can
-- arrive between them unannounced. The trimmed counter, the number of items ever removed from
-- the head, gives each pushed item a position that a waiter (an import) can compare it with.
-- KEYS: inbox, listening, trimmed counter.
-- ARGV: applied count, first applied item, last applied item, max, listen time (ms, 0 = none).
-- Returns the next items (at most max).
local n = tonumber(ARGV[1])
if n > 0 and redis.call('LINDEX', KEYS[1], 0) == ARGV[2] and redis.call('LINDEX', KEYS[1], n - 1) == ARGV[3] then
  redis.call('LTRIM', KEYS[1], n, -1)
  redis.call('INCRBY', KEYS[3], n)
end
local max, listen_ms = tonumber(ARGV[4]), tonumber(ARGV[5])
if max == 0 then return {} end
local items = redis.call('LRANGE', KEYS[1], 0, max - 1)
if #items == 0 and listen_ms > 0 then redis.call('SET', KEYS[2], '1', 'PX', listen_ms) end
return items
