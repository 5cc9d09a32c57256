import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'

export interface LocationState {
  location: string
  onHand: number
  reserved: number
  version: number
}

export interface ProductSnapshot {
  sku: string
  onHand: number
  reserved: number
  available: number
  locations: Record<string, { onHand: number; reserved: number; available: number }>
}

/**
 * For each product of a batch: writes its location levels into the product's cache hash only
 * where the stored version is older (a late writer never overwrites newer data), then publishes
 * the product's resulting state as a delta with the next global sequence number. One call for the
 * whole batch, so seq has no gaps and every delta matches the cache it was read from.
 *
 * KEYS: stream, sequence counter, then one hash per product. ARGV: stream maxlen, then per
 * product: sku, location count, and per location code, onHand, reserved, version.
 * Hash fields: `l:{code}` = "onHand:reserved:version".
 */
const writeAndPublish = luaScript(`
local bodies = {}
local a = 2
for k = 3, #KEYS do
  local key, sku, n = KEYS[k], ARGV[a], tonumber(ARGV[a + 1])
  a = a + 2
  for i = 1, n do
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
    snap.locations[string.sub(all[i], 3)] = { onHand = on_hand, reserved = reserved, available = on_hand - reserved }
    snap.onHand = snap.onHand + on_hand
    snap.reserved = snap.reserved + reserved
  end
  snap.available = snap.onHand - snap.reserved
  local seq = redis.call('INCR', KEYS[2])
  local body = cjson.encode({ seq = seq, type = 'inventory_update', data = snap })
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'm', body)
  bodies[#bodies + 1] = body
end
return bodies
`)

export interface ProductStates {
  sku: string
  states: LocationState[]
}

export interface Delta {
  seq: number
  type: 'inventory_update'
  data: ProductSnapshot
}

export function createLiveCache(redis: Redis, prefix: string, streamMaxLen: number) {
  const keys = {
    product: (sku: string) => `${prefix}:inv:${sku}`,
    stream: `${prefix}:deltas`,
    seq: `${prefix}:deltas:seq`,
  }
  return {
    keys,
    /** Applies committed levels of several products and publishes a delta for each; returns the deltas. */
    async publish(products: ProductStates[]): Promise<Delta[]> {
      if (products.length === 0) return []
      const args = [
        streamMaxLen,
        ...products.flatMap((p) => [p.sku, p.states.length, ...p.states.flatMap((s) => [s.location, s.onHand, s.reserved, s.version])]),
      ]
      const bodies = (await writeAndPublish(redis, [keys.stream, keys.seq, ...products.map((p) => keys.product(p.sku))], args)) as string[]
      return bodies.map((b) => JSON.parse(b) as Delta)
    },
    /** One product as the cache holds it, or undefined when the cache has nothing for it. */
    async read(sku: string): Promise<ProductSnapshot | undefined> {
      const fields = await redis.hGetAll(keys.product(sku))
      const entries = Object.entries(fields)
      if (entries.length === 0) return undefined
      const snap: ProductSnapshot = { sku, onHand: 0, reserved: 0, available: 0, locations: {} }
      for (const [field, value] of entries) {
        const [onHand, reserved] = value.split(':').map(Number) as [number, number]
        snap.locations[field.slice(2)] = { onHand, reserved, available: onHand - reserved }
        snap.onHand += onHand
        snap.reserved += reserved
      }
      snap.available = snap.onHand - snap.reserved
      return snap
    },
  }
}

export type LiveCache = ReturnType<typeof createLiveCache>
