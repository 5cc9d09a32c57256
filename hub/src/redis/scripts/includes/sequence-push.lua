-- The sequencer's shared state and functions, included by sequence-admit and sequence-release-gaps:
-- pushing an event into its partition inbox, releasing a device's waiting successors, the
-- waiting index, and the drain requests for the partitions that received events.
-- Expects ARGV[1] = the key prefix {p}. Keys, built from it (one Redis server, not Cluster):
-- {p}:seq:last:{device} highest admitted seq, {p}:seq:held:{device} waiting events by seq,
-- {p}:seq:arrived:{device} when each waiting seq first arrived, {p}:seq:waiting devices with
-- waiting events scored by their oldest arrival, {p}:inbox:{partition} the partition inboxes,
-- {p}:drain:listening:{partition} a drain listening for its partition's events, and
-- {p}:inbox-trimmed:{partition} how many items drains ever removed from an inbox's head.
local p = ARGV[1]
local pushed = {}
local function push(part, item)
  if part ~= '' then
    redis.call('RPUSH', p .. ':inbox:' .. part, item)
    pushed[#pushed + 1] = part
  end
end
local function release_from(dev, last)
  local held_key = p .. ':seq:held:' .. dev
  while true do
    local nxt = redis.call('HGET', held_key, tostring(last + 1))
    if not nxt then break end
    redis.call('HDEL', held_key, tostring(last + 1))
    redis.call('HDEL', p .. ':seq:arrived:' .. dev, tostring(last + 1))
    for entry in string.gmatch(nxt, '[^\n]+') do
      local sep = string.find(entry, '|', 1, true)
      push(string.sub(entry, 1, sep - 1), string.sub(entry, sep + 1))
    end
    last = last + 1
  end
  return last
end
-- When the device's oldest waiting event arrived (nil when none is recorded).
local function oldest_arrival(dev)
  local oldest = nil
  for _, at in ipairs(redis.call('HVALS', p .. ':seq:arrived:' .. dev)) do
    at = tonumber(at)
    if not oldest or at < oldest then oldest = at end
  end
  return oldest
end
-- The partitions that received events and need a drain job: a listening drain is woken instead.
local function drain_requests()
  local requests, done = {}, {}
  for _, part in ipairs(pushed) do
    if not done[part] then
      done[part] = true
      if redis.call('EXISTS', p .. ':drain:listening:' .. part) == 1 then
        redis.call('PUBLISH', p .. ':drain:wake', part)
      else
        requests[#requests + 1] = part
      end
    end
  end
  return requests
end
-- The waiting index holds a device while it has events waiting, scored by its oldest arrival, so
-- no event waits longer than the gap wait from its own arrival, however many gaps precede it.
local function reindex(dev, now)
  if redis.call('HLEN', p .. ':seq:held:' .. dev) == 0 then
    redis.call('ZREM', p .. ':seq:waiting', dev)
    redis.call('DEL', p .. ':seq:arrived:' .. dev)
  else
    redis.call('ZADD', p .. ':seq:waiting', oldest_arrival(dev) or now, dev)
  end
end
