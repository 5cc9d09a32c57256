import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'

/** What a console hears: the area that changed (`held-events`, `purchase-orders`, …) and its site if it has one. */
export interface ConsoleChange {
  topic: string
  site?: string
}

type Listener = (change: ConsoleChange) => void

/** Floor-feed messages that change what a console page shows: a held event raised, a device going online or offline. */
const FROM_THE_FLOOR: Partial<Record<string, string>> = { held_event: 'held-events', device_status: 'devices' }

/**
 * Tells every open console, on every hub instance, what changed, so pages reload what they show
 * without a reload of the page. Changes made over the API are announced by the API scope; held
 * events a device's event raises, and devices' status, come from the floor feed's channel. Also ends the streams of a
 * person whose sessions ended (`ended`), so a disabled account's open console goes dark at once.
 */
export async function openConsoleChanges(redis: Redis, prefix: string, log: Log) {
  const channel = `${prefix}:console:changes`
  const endedChannel = `${prefix}:sessions-ended`
  const listeners = new Set<Listener>()
  const enders = new Set<(userId: number) => void>()
  const subscriber = redis.duplicate()
  subscriber.on('error', (err: Error) => log.warn({ err: err.message }, 'console change feed: Redis connection failed'))
  await subscriber.connect()
  const tell = (change: ConsoleChange) => listeners.forEach((listener) => listener(change))
  await subscriber.subscribe(channel, (message) => tell(JSON.parse(message) as ConsoleChange))
  await subscriber.pSubscribe(`${prefix}:floor:site:*`, (message, from) => {
    const topic = FROM_THE_FLOOR[(JSON.parse(message) as { type: string }).type]
    if (topic) tell({ topic, site: from.slice(`${prefix}:floor:site:`.length) })
  })
  await subscriber.subscribe(endedChannel, (message) => enders.forEach((end) => end(Number(message))))

  return {
    /** Announces a change to every console (best effort: a lost one costs a page its freshness until the next). */
    announce: (change: ConsoleChange) =>
      void redis
        .publish(channel, JSON.stringify(change))
        .catch((err: Error) => log.warn({ err: err.message }, 'console change not announced')),
    listen(listener: Listener, onEnded: (userId: number) => void): () => void {
      listeners.add(listener)
      enders.add(onEnded)
      return () => {
        listeners.delete(listener)
        enders.delete(onEnded)
      }
    },
    close: async () => {
      if (subscriber.isOpen) await subscriber.close()
    },
  }
}

export type ConsoleChanges = Awaited<ReturnType<typeof openConsoleChanges>>
