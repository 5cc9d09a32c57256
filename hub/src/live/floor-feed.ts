import type { ActivityItem, ActivityMessage, FeedMessage, ReconciliationMessage, ReconciliationSummary } from '@wh/shared/live'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'

/** Items an activity message lists; the counts cover all of them. */
const ITEMS_PER_MESSAGE = 20
/** Items kept for a screen that connects now. */
const RECENT_ITEMS = 50
const DAY_SECONDS = 24 * 3600

/**
 * The feed's keys. Every message is of one site (its devices, activity, held events, its part of
 * a reconciliation run) and goes on that site's channel, heard by that site's screens only.
 */
export const floorKeys = (prefix: string) => ({
  siteChannel: (site: string) => `${prefix}:floor:site:${site}`,
  recent: (site: string) => `${prefix}:floor:recent:${site}`,
  minute: (site: string, epochMinute: number) => `${prefix}:floor:minute:${site}:${epochMinute}`,
  today: (day: string) => `${prefix}:floor:today:${day}`,
  reconciliation: (site: string) => `${prefix}:floor:reconciliation:${site}`,
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
    /** Sends a message to the screens of `site` now. */
    async publish(message: FeedMessage, site: string) {
      await redis
        .publish(keys.siteChannel(site), JSON.stringify(message))
        .catch((err: Error) => log.warn({ err: err.message }, 'floor message not published'))
    },
    /**
     * A finished reconciliation run, one summary per site: each kept for the site's screens that
     * connect later and sent to those connected now, all in one round trip.
     */
    async reconciliation(runs: readonly ReconciliationSummary[]) {
      if (runs.length === 0) return
      const multi = redis.multi()
      for (const run of runs) {
        const message: ReconciliationMessage = { type: 'reconciliation', run }
        multi.set(keys.reconciliation(run.site), JSON.stringify(run)).publish(keys.siteChannel(run.site), JSON.stringify(message))
      }
      await multi.exec().catch((err: Error) => log.warn({ err: err.message }, 'reconciliation run not shown on the floor'))
    },
    async close() {
      clearTimeout(timer)
      await flush()
    },
  }
}

export type FloorFeed = ReturnType<typeof createFloorFeed>
