import { randomUUID } from 'node:crypto'
import { scripts } from '../redis/scripts.ts'
import type { Redis } from '../redis/redis-client.ts'

const TTL_MS = 60_000
const RENEW_MS = 20_000

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
      const renew = setInterval(() => void scripts.runLockRenew(redis, [key], [token, TTL_MS]).catch(() => undefined), RENEW_MS)
      return async () => {
        clearInterval(renew)
        await scripts.runLockRenew(redis, [key], [token, 0])
      }
    },
  }
}
