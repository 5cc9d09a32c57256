import { randomUUID } from 'node:crypto'
import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'

const TTL_MS = 60_000
const RENEW_MS = 20_000

/** Extends or drops the lock only while this holder still has it. KEYS: lock. ARGV: token, ttl ms (0 drops). */
const renewOrRelease = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`)

/**
 * One reconciliation at a time, whoever starts it: the queue's global concurrency keeps workers
 * apart, and this lock also keeps out a run from the CLI. It lapses a minute after a holder dies.
 */
export function createRunLock(redis: Redis, key: string) {
  return {
    /** The release function, or undefined when another run holds the lock. */
    async acquire(): Promise<(() => Promise<void>) | undefined> {
      const token = randomUUID()
      if ((await redis.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: TTL_MS } })) !== 'OK') return undefined
      const renew = setInterval(() => void renewOrRelease(redis, [key], [token, TTL_MS]).catch(() => undefined), RENEW_MS)
      return async () => {
        clearInterval(renew)
        await renewOrRelease(redis, [key], [token, 0])
      }
    },
  }
}
