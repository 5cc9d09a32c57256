-- For each product of a batch: writes its location levels into the product's cache hash only
-- where the stored version is older (a late writer never overwrites newer data), then publishes
-- a delta with the next global sequence number: the product's totals, and the locations this
-- batch touched (a product may sit in many; a screen merges them into what it has). One call for
-- the whole batch, so seq has no gaps and every delta matches the cache it was read from.
-- Mode 'd' also adds each level written to the reconciliation's dirty set (its incremental run
-- checks only those). A repair (mode 'r') first drops the product's hash, so the database's
-- levels replace whatever the cache held, however high the versions there were (a tampered cache).
-- KEYS: stream, sequence counter, set of cached skus, dirty set, then one hash per product.
-- ARGV: stream maxlen, publish time (ms), then per product: sku, mode ('d' guarded and marked
--   dirty, 'g' guarded, 'r' replace), location count, and per location: code, onHand, reserved,
--   version. Hash fields: 'l:{code}' = 'onHand:reserved:version'.
-- Returns the deltas published, one JSON body per product.
local bodies = {}
local at = tonumber(ARGV[2])
local a = 3
for k = 5, #KEYS do
  local key, sku, mode, n = KEYS[k], ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  redis.call('SADD', KEYS[3], sku)
  if mode == 'd' then
    -- One member per level changed: '{location}@{sku}' (a location code holds no '@').
    for i = 0, n - 1 do redis.call('SADD', KEYS[4], ARGV[a + i * 4] .. '@' .. sku) end
    if n == 0 then redis.call('SADD', KEYS[4], '*@' .. sku) end
  end
  local dropped = {}
  if mode == 'r' then
    for _, field in ipairs(redis.call('HKEYS', key)) do dropped[string.sub(field, 3)] = true end
    redis.call('DEL', key)
  end
  local touched = {}
  for i = 1, n do
    touched[ARGV[a]] = true
    local field = 'l:' .. ARGV[a]
    local current = redis.call('HGET', key, field)
    if not current or tonumber(ARGV[a + 3]) > tonumber(string.match(current, ':(%d+)$')) then
      redis.call('HSET', key, field, ARGV[a + 1] .. ':' .. ARGV[a + 2] .. ':' .. ARGV[a + 3])
    end
    a = a + 4
  end
  local all = redis.call('HGETALL', key)
  local snap = { sku = sku, onHand = 0, reserved = 0, available = 0, locations = {} }
  for i = 1, #all, 2 do
    local on_hand, reserved = string.match(all[i + 1], '^(-?%d+):(-?%d+):')
    on_hand, reserved = tonumber(on_hand), tonumber(reserved)
    local code = string.sub(all[i], 3)
    if touched[code] then
      snap.locations[code] = { onHand = on_hand, reserved = reserved, available = on_hand - reserved }
    end
    snap.onHand = snap.onHand + on_hand
    snap.reserved = snap.reserved + reserved
  end
  snap.available = snap.onHand - snap.reserved
  -- A location the repair dropped reaches the screens as empty, since they merge locations.
  for code in pairs(dropped) do
    if not touched[code] then snap.locations[code] = { onHand = 0, reserved = 0, available = 0 } end
  end
  local seq = redis.call('INCR', KEYS[2])
  local body = cjson.encode({ seq = seq, type = 'inventory_update', at = at, data = snap })
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'm', body)
  bodies[#bodies + 1] = body
end
return bodies
