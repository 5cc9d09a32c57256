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
 * Writes a product's location levels into its cache hash only where the stored version is older
 * (a late writer never overwrites newer data), then publishes the product's resulting state as a
 * delta with the next global sequence number. Both in one call, so seq has no gaps and every delta
 * matches the cache it was read from.
 *
 * KEYS: product hash, stream, sequence counter. ARGV: sku, stream maxlen, then per location
 * code, onHand, reserved, version. Hash fields: `l:{code}` = "onHand:reserved:version".
 */
const writeAndPublish = luaScript(`
for i = 3, #ARGV, 4 do
  local field = 'l:' .. ARGV[i]
  local current = redis.call('HGET', KEYS[1], field)
  local newer = true
  if current then
    local v = tonumber(string.match(current, ':(%d+)$'))
    newer = tonumber(ARGV[i + 3]) > v
  end
  if newer then redis.call('HSET', KEYS[1], field, ARGV[i + 1] .. ':' .. ARGV[i + 2] .. ':' .. ARGV[i + 3]) end
end
local all = redis.call('HGETALL', KEYS[1])
local snap = { sku = ARGV[1], onHand = 0, reserved = 0, available = 0, locations = {} }
for i = 1, #all, 2 do
  local code = string.sub(all[i], 3)
  local on_hand, reserved = string.match(all[i + 1], '^(-?%d+):(-?%d+):')
  on_hand, reserved = tonumber(on_hand), tonumber(reserved)
  snap.locations[code] = { onHand = on_hand, reserved = reserved, available = on_hand - reserved }
  snap.onHand = snap.onHand + on_hand
  snap.reserved = snap.reserved + reserved
end
snap.available = snap.onHand - snap.reserved
local seq = redis.call('INCR', KEYS[3])
local body = cjson.encode({ seq = seq, type = 'inventory_update', data = snap })
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'm', body)
return body
`)

export function createLiveCache(redis: Redis, prefix: string, streamMaxLen: number) {
  const keys = {
    product: (sku: string) => `${prefix}:inv:${sku}`,
    stream: `${prefix}:deltas`,
    seq: `${prefix}:deltas:seq`,
  }
  return {
    keys,
    /** Applies committed levels of one product and publishes its delta; returns the published message. */
    async publish(sku: string, states: LocationState[]) {
      const args = [sku, streamMaxLen, ...states.flatMap((s) => [s.location, s.onHand, s.reserved, s.version])]
      return JSON.parse((await writeAndPublish(redis, [keys.product(sku), keys.stream, keys.seq], args)) as string) as {
        seq: number
        type: 'inventory_update'
        data: ProductSnapshot
      }
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
