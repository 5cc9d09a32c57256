import type { ActivityItem, ActivityMessage, FeedMessage } from '@wh/shared/live'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'

/** Items an activity message lists; the counts cover all of them. */
const ITEMS_PER_MESSAGE = 20
/** Items kept for a screen that connects now. */
const RECENT_ITEMS = 50
const DAY_SECONDS = 24 * 3600

/**
 * The feed's keys. Messages of one site (its devices and activity) go on the site's channel;
 * held events and reconciliation runs, on the floor channel every screen hears.
 */
export const floorKeys = (prefix: string) => ({
  channel: `${prefix}:floor`,
  siteChannel: (site: string) => `${prefix}:floor:site:${site}`,
  recent: (site: string) => `${prefix}:floor:recent:${site}`,
  minute: (site: string, epochMinute: number) => `${prefix}:floor:minute:${site}:${epochMinute}`,
  today: (day: string) => `${prefix}:floor:today:${day}`,
  reconciliation: `${prefix}:floor:reconciliation`,
})

export const epochMinute = (ms: number) => Math.floor(ms / 60_000)
export const localDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

/** A site's settled events gathered for its next activity message. */
interface Gathered {
  items: ActivityItem[]
  byDevice: Map<string, number>
  count: number
}

/**
 * What the floor screens see besides stock: activity, device status, held events. Messages go
 * to every hub instance over Redis pub/sub; activity is gathered for a short tick and sent as
 * one message per site with per-device counts, so a busy floor costs a few messages a second,
 * not one per event. The counters behind the events-per-minute chart (per site) and the device
 * tiles are kept here.
 */
export function createFloorFeed(redis: Redis, prefix: string, log: Log, tickMs = 200, now = () => Date.now()) {
  const keys = floorKeys(prefix)
  let gathered = new Map<string, Gathered>()
  let timer: ReturnType<typeof setTimeout> | undefined

  async function flush() {
    timer = undefined
    if (gathered.size === 0) return
    const sites = gathered
    gathered = new Map()
    const at = new Date(now())
    const today = keys.today(localDay(at))
    const multi = redis.multi()
    for (const [site, { items, byDevice, count }] of sites) {
      const message: ActivityMessage = { type: 'activity', items: items.slice(-ITEMS_PER_MESSAGE), byDevice: Object.fromEntries(byDevice) }
      const minute = keys.minute(site, epochMinute(at.getTime()))
      multi
        .publish(keys.siteChannel(site), JSON.stringify(message))
        .rPush(
          keys.recent(site),
          items.slice(-RECENT_ITEMS).map((i) => JSON.stringify(i)),
        )
        .lTrim(keys.recent(site), -RECENT_ITEMS, -1)
        .incrBy(minute, count)
        .expire(minute, 2 * 3600)
      for (const [device, n] of byDevice) multi.hIncrBy(today, device, n)
    }
    await multi
      .expire(today, 2 * DAY_SECONDS)
      .exec()
      .catch((err: Error) => log.warn({ err: err.message }, 'floor activity not published'))
  }

  return {
    keys,
    /** Queues settled events for the next activity message of their sites. */
    activity(settled: ActivityItem[]) {
      if (settled.length === 0) return
      for (const item of settled) {
        const site: Gathered = gathered.get(item.site) ?? { items: [], byDevice: new Map(), count: 0 }
        site.count++
        site.items.push(item)
        site.byDevice.set(item.deviceId, (site.byDevice.get(item.deviceId) ?? 0) + 1)
        if (site.items.length > RECENT_ITEMS) site.items = site.items.slice(-RECENT_ITEMS)
        gathered.set(item.site, site)
      }
      timer ??= setTimeout(() => void flush(), tickMs)
    },
    /**
     * Sends a message to the screens now: those of `site` (device status), or every screen when no
     * site is named (held events, reconciliation).
     */
    async publish(message: FeedMessage, site?: string) {
      await redis
        .publish(site === undefined ? keys.channel : keys.siteChannel(site), JSON.stringify(message))
        .catch((err: Error) => log.warn({ err: err.message }, 'floor message not published'))
    },
    async close() {
      clearTimeout(timer)
      await flush()
    },
  }
}

export type FloorFeed = ReturnType<typeof createFloorFeed>
