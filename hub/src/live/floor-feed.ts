import type { ActivityItem, ActivityMessage, FeedMessage } from '@wh/shared/live'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'

/** Items an activity message lists; the counts cover all of them. */
const ITEMS_PER_MESSAGE = 20
/** Items kept for a screen that connects now. */
const RECENT_ITEMS = 50
const DAY_SECONDS = 24 * 3600

export const floorKeys = (prefix: string) => ({
  channel: `${prefix}:floor`,
  recent: `${prefix}:floor:recent`,
  minute: (epochMinute: number) => `${prefix}:floor:minute:${epochMinute}`,
  today: (day: string) => `${prefix}:floor:today:${day}`,
  reconciliation: `${prefix}:floor:reconciliation`,
})

export const epochMinute = (ms: number) => Math.floor(ms / 60_000)
export const localDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

/**
 * What the floor screens see besides stock: activity, device status, held events. Messages go
 * to every hub instance over Redis pub/sub; activity is gathered for a short tick and sent as
 * one message with per-device counts, so a busy floor costs a few messages a second, not one
 * per event. The counters behind the events-per-minute chart and the device tiles are kept here.
 */
export function createFloorFeed(redis: Redis, prefix: string, log: Log, tickMs = 200, now = () => Date.now()) {
  const keys = floorKeys(prefix)
  let items: ActivityItem[] = []
  let byDevice = new Map<string, number>()
  let settledCount = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  async function flush() {
    timer = undefined
    if (items.length === 0) return
    const batch = items
    const counts = byDevice
    const total = settledCount
    items = []
    byDevice = new Map()
    settledCount = 0
    const at = new Date(now())
    const message: ActivityMessage = { type: 'activity', items: batch.slice(-ITEMS_PER_MESSAGE), byDevice: Object.fromEntries(counts) }
    const today = keys.today(localDay(at))
    const minute = keys.minute(epochMinute(at.getTime()))
    const multi = redis
      .multi()
      .publish(keys.channel, JSON.stringify(message))
      .rPush(
        keys.recent,
        batch.slice(-RECENT_ITEMS).map((i) => JSON.stringify(i)),
      )
      .lTrim(keys.recent, -RECENT_ITEMS, -1)
      .incrBy(minute, total)
      .expire(minute, 2 * 3600)
    for (const [device, n] of counts) multi.hIncrBy(today, device, n)
    await multi
      .expire(today, 2 * DAY_SECONDS)
      .exec()
      .catch((err: Error) => log.warn({ err: err.message }, 'floor activity not published'))
  }

  return {
    keys,
    /** Queues settled events for the next activity message. */
    activity(settled: ActivityItem[]) {
      if (settled.length === 0) return
      settledCount += settled.length
      for (const item of settled) {
        items.push(item)
        byDevice.set(item.deviceId, (byDevice.get(item.deviceId) ?? 0) + 1)
      }
      if (items.length > RECENT_ITEMS) items = items.slice(-RECENT_ITEMS)
      timer ??= setTimeout(() => void flush(), tickMs)
    },
    /** Sends a message to every screen now (held events, device status, reconciliation). */
    async publish(message: FeedMessage) {
      await redis
        .publish(keys.channel, JSON.stringify(message))
        .catch((err: Error) => log.warn({ err: err.message }, 'floor message not published'))
    },
    async close() {
      clearTimeout(timer)
      await flush()
    },
  }
}

export type FloorFeed = ReturnType<typeof createFloorFeed>
