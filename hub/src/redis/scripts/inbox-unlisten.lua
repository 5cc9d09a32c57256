-- Ends a drain's listening, unless events arrived since its last read (they were told to no
-- one else).
-- KEYS: inbox, listening.
-- ARGV: none.
-- Returns 1 when the listening ended, 0 when events are waiting.
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
redis.call('DEL', KEYS[2])
return 1
