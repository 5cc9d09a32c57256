-- Pushes trusted events (an import's, already resolved; no device, so no device order to keep)
-- into their partition inboxes, in the order given, and says where each partition's last one
-- stands: its position counts every item ever pushed there (trimmed + length), so the caller
-- knows the events are applied once the trimmed counter reaches it.
-- KEYS: none (built from the prefix, see the include).
-- ARGV: prefix, then per event: partition, item.
-- Returns {ends, partitions}: flat pairs partition, position of its last item pushed here; and
--   the partitions that need a drain job (a listening drain was woken instead).
--- @include "includes/sequence-push"
local touched = {}
for i = 2, #ARGV, 2 do
  push(ARGV[i], ARGV[i + 1])
  touched[ARGV[i]] = true
end
local ends = {}
for part in pairs(touched) do
  local trimmed = tonumber(redis.call('GET', p .. ':inbox-trimmed:' .. part) or '0')
  ends[#ends + 1] = part
  ends[#ends + 1] = tostring(trimmed + redis.call('LLEN', p .. ':inbox:' .. part))
end
return {ends, drain_requests()}
