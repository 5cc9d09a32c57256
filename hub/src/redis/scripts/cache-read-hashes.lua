-- Many products' cache hashes in one round trip.
-- KEYS: none (one Redis server, not Cluster).
-- ARGV: product key prefix, then skus.
-- Returns one HGETALL reply per sku, in order (empty for a product with no hash).
local out = {}
for i = 2, #ARGV do out[#out + 1] = redis.call('HGETALL', ARGV[1] .. ARGV[i]) end
return out
