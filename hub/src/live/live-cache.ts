import type { ProductStock } from '@wh/shared/live'
import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'

export interface LocationState {
  location: string
  onHand: number
  reserved: number
  version: number
}

/**
 * For each product of a batch: writes its location levels into the product's cache hash only
 * where the stored version is older (a late writer never overwrites newer data), then publishes
 * a delta with the next global sequence number: the product's totals, and the locations this
 * batch touched (a product may sit in many; a screen merges them into what it has). One call for the
 * whole batch, so seq has no gaps and every delta matches the cache it was read from.
 *
 * Each level written is also added to the reconciliation's dirty set (its incremental run checks
 * only those), unless the write comes from the reconciler itself. A repair (mode `r`) first drops the
 * product's hash, so the database's levels replace whatever the cache held, however high the
 * versions there were (a tampered cache); the caller holds the levels' row locks meanwhile.
 *
 * KEYS: stream, sequence counter, set of cached skus, dirty set, then one hash per product. ARGV:
 * stream maxlen, publish time (ms), then per product: sku, mode (`d` guarded and marked dirty,
 * `g` guarded, `r` replace), location count, and per location code, onHand, reserved, version.
 * Hash fields: `l:{code}` = "onHand:reserved:version".
 */
const writeAndPublish = luaScript(`
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
`)

/**
 * Every cached product (or the named ones) and the seq they are current to, read atomically: the
 * write script above runs whole, so no delta is half in the snapshot. KEYS: sequence counter, sku
 * set. ARGV: product key prefix, then optional skus. Returns seq, then sku and HGETALL pairs.
 */
const readSnapshot = luaScript(`
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
`)

/** A product's stock from its cache hash fields (`l:{code}` = "onHand:reserved:version"). */
function toStock(sku: string, fields: [string, string][]): ProductStock {
  const stock: ProductStock = { sku, onHand: 0, reserved: 0, available: 0, locations: {} }
  for (const [field, value] of fields) {
    const [onHand, reserved] = value.split(':').map(Number) as [number, number]
    stock.locations[field.slice(2)] = { onHand, reserved, available: onHand - reserved }
    stock.onHand += onHand
    stock.reserved += reserved
  }
  stock.available = stock.onHand - stock.reserved
  return stock
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

export interface ProductStates {
  sku: string
  states: LocationState[]
}

export interface Delta {
  seq: number
  type: 'inventory_update'
  /** When the hub published it, right after the commit (ms since the epoch). */
  at: number
  data: ProductStock
}

export function createLiveCache(redis: Redis, prefix: string, streamMaxLen: number) {
  const keys = {
    product: (sku: string) => `${prefix}:inv:${sku}`,
    skus: `${prefix}:inv-skus`,
    stream: `${prefix}:deltas`,
    seq: `${prefix}:deltas:seq`,
    /** Levels (`{location}@{sku}`) whose stock changed since the last incremental reconciliation took the set. */
    dirty: `${prefix}:reconcile:dirty`,
    /** Set once the cache holds every level the database has: gone with a lost Redis, so its absence says "reload". */
    loaded: `${prefix}:inv-loaded`,
  }
  async function write(products: ProductStates[], mode: 'd' | 'g' | 'r'): Promise<Delta[]> {
    if (products.length === 0) return []
    const args = [
      streamMaxLen,
      Date.now(),
      ...products.flatMap((p) => [p.sku, mode, p.states.length, ...p.states.flatMap((s) => [s.location, s.onHand, s.reserved, s.version])]),
    ]
    const bodies = (await writeAndPublish(
      redis,
      [keys.stream, keys.seq, keys.skus, keys.dirty, ...products.map((p) => keys.product(p.sku))],
      args,
    )) as string[]
    return bodies.map((b) => JSON.parse(b) as Delta)
  }
  return {
    keys,
    /**
     * Applies committed levels of several products and publishes a delta for each; returns the
     * deltas. The products are marked for the next incremental reconciliation unless `markDirty`
     * is false (the reconciler's own corrections).
     */
    publish: (products: ProductStates[], options: { markDirty?: boolean } = {}) => write(products, options.markDirty === false ? 'g' : 'd'),
    /**
     * Replaces each product's cached levels with these (the database's, read under the levels'
     * row locks) and publishes a delta, so screens converge on a repaired cache.
     */
    repair: (products: ProductStates[]) => write(products, 'r'),
    /** One product as the cache holds it, or undefined when the cache has nothing for it. */
    async read(sku: string): Promise<ProductStock | undefined> {
      const fields = Object.entries(await redis.hGetAll(keys.product(sku)))
      return fields.length === 0 ? undefined : toStock(sku, fields)
    },
    /** Every cached product (or only `skus`), consistent with the delta stream at `seq`. */
    async snapshot(skus?: readonly string[]): Promise<{ seq: number; data: ProductStock[] }> {
      const reply = (await readSnapshot(redis, [keys.seq, keys.skus], [keys.product(''), ...(skus ?? [])])) as [
        number,
        ...(string | string[])[],
      ]
      const data: ProductStock[] = []
      for (let i = 1; i < reply.length; i += 2) data.push(toStock(reply[i] as string, pairs(reply[i + 1] as string[])))
      return { seq: reply[0], data }
    },
  }
}

export type LiveCache = ReturnType<typeof createLiveCache>
