-- Takes the reconciliation's dirty set for a run: what a run that died left taken is merged back
-- first, then the set is renamed to the taken key (atomic, so a level marked meanwhile lands in a
-- fresh set for the next run).
-- KEYS: dirty, taken.
-- ARGV: none.
-- Returns the taken members ('{site}|{location}@{sku}'), empty when nothing was marked.
--- @include "includes/dirty-merge-taken"
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('RENAME', KEYS[1], KEYS[2])
return redis.call('SMEMBERS', KEYS[2])
