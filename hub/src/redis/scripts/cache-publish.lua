-- For each product of a batch at a site: writes its location levels into the product's cache
-- hash of that site only where the stored version is older (a late writer never overwrites newer
-- data) or, at the same version, the location's reservable flag changed, then publishes a delta with the next sequence number of that site's stream: the
-- product's totals at the site, and the locations this batch touched (a product may sit in many;
-- a screen merges them into what it has). One call for the whole batch, so each site's seq has no
-- gaps and every delta matches the cache it was read from.
-- `available` counts reservable locations only: an unreservable one (a shipping lane) shows 0.
-- Mode 'd' also adds each level written to the reconciliation's dirty set (its incremental run
-- checks only those). A repair (mode 'r') first drops the product's hash, so the database's
-- levels replace whatever the cache held, however high the versions there were (a tampered cache).
-- KEYS: set of known sites, dirty set, then per product: its hash, its site's stream, its site's
--   sequence counter, its site's set of cached skus.
-- ARGV: stream maxlen, publish time (ms), then per product: site, sku, mode ('d' guarded and
--   marked dirty, 'g' guarded, 'r' replace), location count, and per location: code, onHand,
--   reserved, version, reservable (1 or 0). Hash fields: 'l:{code}' = 'onHand:reserved:version:r'.
-- Returns the deltas published, one JSON body per product.
local bodies = {}
local at = tonumber(ARGV[2])
local a = 3
for k = 3, #KEYS, 4 do
  local key, stream, seq_key, skus_key = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local site, sku, mode, n = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  a = a + 4
  redis.call('SADD', KEYS[1], site)
  redis.call('SADD', skus_key, sku)
  if mode == 'd' then
    -- One member per level changed: '{site}|{location}@{sku}' (a site holds no '|', a location no '@').
    for i = 0, n - 1 do redis.call('SADD', KEYS[2], site .. '|' .. ARGV[a + i * 5] .. '@' .. sku) end
    if n == 0 then redis.call('SADD', KEYS[2], site .. '|*@' .. sku) end
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
    local version, flag = nil, nil
    if current then version, flag = string.match(current, '^%-?%d+:%-?%d+:(%d+):(%d)$') end
    -- The same version with another flag: the same stock, its location made (un)reservable since.
    local newer = not current or tonumber(ARGV[a + 3]) > tonumber(version)
    if newer or (tonumber(ARGV[a + 3]) == tonumber(version) and ARGV[a + 4] ~= flag) then
      redis.call('HSET', key, field, ARGV[a + 1] .. ':' .. ARGV[a + 2] .. ':' .. ARGV[a + 3] .. ':' .. ARGV[a + 4])
    end
    a = a + 5
  end
  local all = redis.call('HGETALL', key)
  local snap = { site = site, sku = sku, onHand = 0, reserved = 0, available = 0, locations = {} }
  for i = 1, #all, 2 do
    local on_hand, reserved, reservable = string.match(all[i + 1], '^(%-?%d+):(%-?%d+):%d+:(%d)$')
    on_hand, reserved = tonumber(on_hand), tonumber(reserved)
    local available = 0
    if reservable == '1' then available = on_hand - reserved end
    local code = string.sub(all[i], 3)
    if touched[code] then
      snap.locations[code] = { onHand = on_hand, reserved = reserved, available = available }
    end
    snap.onHand = snap.onHand + on_hand
    snap.reserved = snap.reserved + reserved
    snap.available = snap.available + available
  end
  -- A location the repair dropped reaches the screens as empty, since they merge locations.
  for code in pairs(dropped) do
    if not touched[code] then snap.locations[code] = { onHand = 0, reserved = 0, available = 0 } end
  end
  local seq = redis.call('INCR', seq_key)
  local body = cjson.encode({ seq = seq, type = 'inventory_update', at = at, data = snap })
  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[1], seq .. '-0', 'm', body)
  bodies[#bodies + 1] = body
end
return bodies
