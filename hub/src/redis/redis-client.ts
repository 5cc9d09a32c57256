import { createClient } from 'redis'
import type { Log } from '../log.ts'

export type Redis = ReturnType<typeof createClient>

/** A connected client that reconnects with backoff and logs (not throws) its connection errors. */
export async function connectRedis(url: string, log: Log): Promise<Redis> {
  const client = createClient({ url, socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) } })
  // node-redis emits 'error' on every failed reconnect; unhandled it would crash the process.
  client.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'))
  // Every BullMQ queue and worker (two per partition) listens on this one shared client.
  client.setMaxListeners(0)
  await client.connect()
  return client
}
