import type { Redis } from '../redis/redis-client.ts'
export interface ThrottleLimits {
  /** Failed sign-ins one account may have in `windowSeconds` before it is locked for the rest of it. */
  perAccount: number
  /** Failed sign-ins one address may have, across accounts, in `windowSeconds`. */
  perAddress: number
  windowSeconds: number
}

/**
 * Counts failed sign-ins per account and per address in Redis (so every hub instance shares
 * them): once either is over its limit, sign-in is refused until the window ends.
 * A success clears the account's count, not the address's: one good password must not reopen
 * guessing at the others from the same place.
 */
export function createSignInThrottle(redis: Redis, prefix: string, limits: ThrottleLimits) {
  const accountKey = (username: string) => `${prefix}:signin:acct:${username.toLowerCase()}`
  const addressKey = (ip: string) => `${prefix}:signin:ip:${ip}`

  return {
    /** 0 when the account and the address may try; else the seconds until they may. */
    async waitSeconds(username: string, ip: string): Promise<number> {
      const [account, address] = await redis.mGet([accountKey(username), addressKey(ip)])
      const over = Number(account ?? 0) >= limits.perAccount || Number(address ?? 0) >= limits.perAddress
      if (!over) return 0
      return Math.max(await redis.ttl(accountKey(username)), await redis.ttl(addressKey(ip)), 1)
    },
    async failed(username: string, ip: string) {
      await redis
        .multi()
        .incr(accountKey(username))
        .expire(accountKey(username), limits.windowSeconds, 'NX')
        .incr(addressKey(ip))
        .expire(addressKey(ip), limits.windowSeconds, 'NX')
        .exec()
    },
    async succeeded(username: string) {
      await redis.del(accountKey(username))
    },
  }
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>
