-- Every cached product (or the named ones) and the seq they are current to, read atomically:
-- cache-publish runs whole, so no delta is half in the snapshot.
-- KEYS: sequence counter, set of cached skus.
-- ARGV: product key prefix, then optional skus (none = every cached product).
-- Returns {seq, sku, fields, sku, fields, ...}: fields as HGETALL gives them; products with no
--   hash are left out.
local skus = ARGV
local first = 2
if #ARGV == 1 then
  skus = redis.call('SMEMBERS', KEYS[2])
  first = 1
end
local out = { tonumber(redis.call('GET', KEYS[1]) or '0') }
for i = first, #skus do
  local fields = redis.call('HGETALL', ARGV[1] .. skus[i])
  if #fields > 0 then
    out[#out + 1] = skus[i]
    out[#out + 1] = fields
  end
end
return out
