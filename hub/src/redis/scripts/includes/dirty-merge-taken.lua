-- Merges a taken dirty set back into the dirty set (KEYS[1] dirty, KEYS[2] taken): the set a
-- run that died or failed left taken. Included by dirty-take and dirty-restore.
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('SUNIONSTORE', KEYS[1], KEYS[1], KEYS[2])
  redis.call('DEL', KEYS[2])
end
