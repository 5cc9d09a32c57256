-- A site's cached products (every one, or the named ones) and the seq of the site's stream they
-- are current to, read atomically: cache-publish runs whole, so no delta is half in the snapshot.
-- Every key is declared, so a caller wanting every product first reads the site's set of cached
-- skus and names them all; if the set has grown since (a product's first publish), the reply says
-- so and the caller reads the set again (skus are only ever added to it).
-- KEYS: the site's sequence counter, the site's set of cached skus, then one hash per sku.
-- ARGV: 'all' (the skus are the whole set as read) or 'named', then the skus, one per hash.
-- Returns {seq, sku, fields, sku, fields, ...}: fields as HGETALL gives them; products with no
--   hash are left out. {-1} when 'all' and the set no longer has exactly that many skus.
if ARGV[1] == 'all' and redis.call('SCARD', KEYS[2]) ~= #KEYS - 2 then return { -1 } end
local out = { tonumber(redis.call('GET', KEYS[1]) or '0') }
for i = 3, #KEYS do
  local fields = redis.call('HGETALL', KEYS[i])
  if #fields > 0 then
    out[#out + 1] = ARGV[i - 1]
    out[#out + 1] = fields
  end
end
return out
