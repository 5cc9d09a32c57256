-- Admits events into their partition inboxes once their device predecessors are in, or keeps
-- them waiting; in the order given. An empty partition records a seq settled at ingest
-- (rejected) so it does not hold up its successors.
-- KEYS: none (built from the prefix, see the include).
-- ARGV: prefix, now (ms), then per event: device id, deviceSeq, partition ('' = settled at
--   ingest), item, floor (the database's last seq for the device, '' when not read yet).
-- Returns {states, partitions}: per event 'admitted', 'resend', 'waiting' or 'unknown' (Redis
--   holds no position for the device and no floor was given), and the partitions that received
--   events and need a drain job (a listening drain was woken instead).
--- @include "includes/sequence-push"
local now = tonumber(ARGV[2])
local function admit(dev, seq, part, item, floor)
  local last_key = p .. ':seq:last:' .. dev
  local known = redis.call('GET', last_key)
  local last = tonumber(known or floor)
  if not last then return 'unknown' end
  if not known then redis.call('SET', last_key, last) end
  if seq <= last then
    push(part, item)
    return 'resend'
  end
  local held_key = p .. ':seq:held:' .. dev
  if seq > last + 1 then
    -- Copies of one waiting event (a resend) are kept side by side, one per line, so each gets an ack.
    local entry = part .. '|' .. item
    local existing = redis.call('HGET', held_key, tostring(seq))
    if existing then entry = existing .. '\n' .. entry end
    redis.call('HSET', held_key, tostring(seq), entry)
    redis.call('HSETNX', p .. ':seq:arrived:' .. dev, tostring(seq), now)
    redis.call('ZADD', p .. ':seq:waiting', 'NX', now, dev)
    return 'waiting'
  end
  push(part, item)
  redis.call('SET', last_key, release_from(dev, seq))
  reindex(dev, now)
  return 'admitted'
end
local states = {}
for i = 3, #ARGV, 5 do
  states[#states + 1] = admit(ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3], ARGV[i + 4])
end
return {states, drain_requests()}
