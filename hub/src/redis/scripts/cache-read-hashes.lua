-- Many products' cache hashes in one round trip.
-- KEYS: the product hashes ('{prefix}:inv:{site}:{sku}').
-- ARGV: none.
-- Returns one HGETALL reply per key, in order (empty for a product with no hash).
local out = {}
for i = 1, #KEYS do out[#out + 1] = redis.call('HGETALL', KEYS[i]) end
return out
