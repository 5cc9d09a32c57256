-- Extends or drops the reconciliation's run lock, only while this holder still has it.
-- KEYS: lock.
-- ARGV: token, ttl (ms; 0 drops the lock).
-- Returns 1 when extended or dropped, 0 when another holder has the lock (or none does).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
