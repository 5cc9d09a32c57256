-- Releases the events of devices whose oldest waiting event waited longer than the gap wait,
-- skipping the missing seqs before them (at most 100 devices a call).
-- KEYS: none (built from the prefix, see the include).
-- ARGV: prefix, now (ms), wait (ms).
-- Returns {gaps, partitions}: {device, from, to} per skipped range, and the partitions that
--   received events and need a drain job (a listening drain was woken instead).
--- @include "includes/sequence-push"
local now, wait_ms = tonumber(ARGV[2]), tonumber(ARGV[3])
local gaps = {}
local due = redis.call('ZRANGEBYSCORE', p .. ':seq:waiting', '-inf', now - wait_ms, 'LIMIT', 0, 100)
for _, dev in ipairs(due) do
  -- Skip gap after gap while the oldest event still waiting has waited its time.
  repeat
    local seqs = redis.call('HKEYS', p .. ':seq:held:' .. dev)
    if #seqs == 0 then break end
    local first = math.huge
    for _, s in ipairs(seqs) do first = math.min(first, tonumber(s)) end
    local last_key = p .. ':seq:last:' .. dev
    local last = tonumber(redis.call('GET', last_key) or (first - 1))
    if first - 1 >= last + 1 then gaps[#gaps + 1] = { dev, last + 1, first - 1 } end
    redis.call('SET', last_key, release_from(dev, first - 1))
    local oldest = oldest_arrival(dev)
  until not oldest or oldest > now - wait_ms
  reindex(dev, now)
end
return {gaps, drain_requests()}
