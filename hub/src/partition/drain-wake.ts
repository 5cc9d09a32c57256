import type { Redis } from '../redis/redis-client.ts'

/**
 * Wakes listening drains when the sequencer announces new events for their partition (a pub/sub
 * message with the partition number). A lost message costs only latency: the drain's wait times
 * out and it reads its inbox anyway.
 */
export async function openDrainWake(redis: Redis, channel: string, onError: (err: Error) => void) {
  const subscriber = redis.duplicate()
  subscriber.on('error', onError)
  await subscriber.connect()
  /** Announcements seen per partition, so one that came before its drain began to wait is not missed. */
  const seen = new Map<number, number>()
  const waiters = new Map<number, () => void>()
  const wake = (partition: number) => {
    const resolve = waiters.get(partition)
    waiters.delete(partition)
    resolve?.()
  }
  await subscriber.subscribe(channel, (message) => {
    const partition = Number(message)
    seen.set(partition, (seen.get(partition) ?? 0) + 1)
    wake(partition)
  })

  return {
    /** Taken before the drain says it listens; `wait` returns at once if an announcement came since. */
    ticket: (partition: number) => seen.get(partition) ?? 0,
    /** Resolves true when woken (or announced since `ticket`), false after `timeoutMs`. */
    wait(partition: number, ticket: number, timeoutMs: number): Promise<boolean> {
      if ((seen.get(partition) ?? 0) !== ticket) return Promise.resolve(true)
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(partition)
          resolve(false)
        }, timeoutMs)
        waiters.set(partition, () => {
          clearTimeout(timer)
          resolve(true)
        })
      })
    },
    /** Ends every wait now (shutting down: the drains then finish their jobs). */
    wakeAll: () => [...waiters.keys()].forEach(wake),
    close: () => subscriber.close().catch(() => undefined),
  }
}

export type DrainWake = Awaited<ReturnType<typeof openDrainWake>>
