import { createHash } from 'node:crypto'
import type { Redis } from '../plugins/infra/redis.ts'

/**
 * A Lua script run by SHA, loaded on first use or after a Redis restart (NOSCRIPT).
 * Scripts here build some key names from a prefix argument, which suits one Redis server
 * (not Redis Cluster, where every key must be declared).
 */
export function luaScript(source: string) {
  const sha = createHash('sha1').update(source).digest('hex')
  return async (client: Redis, keys: string[], args: (string | number)[]): Promise<unknown> => {
    const options = { keys, arguments: args.map(String) }
    try {
      return await client.evalSha(sha, options)
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      return client.eval(source, options)
    }
  }
}
