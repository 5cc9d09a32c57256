import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { ActivityItem, DeviceTile, FeedMessage, ProductInfo } from '@wh/shared/live'
import type { Db } from '../db/connection.ts'
import { devices, heldEvents, locations, products, reorderThresholds } from '../db/schema/index.ts'
import type { Redis } from '../redis/redis-client.ts'
import { epochMinute, floorKeys, localDay } from './floor-feed.ts'

/** Held events a screen lists; the pending count covers all of its site's. */
const HELD_LISTED = 50

/** What a floor screen of a site is sent when it subscribes, read from MySQL and the feed's counters. */
export function createFloorState(db: Db, redis: Redis, prefix: string, now = () => Date.now()) {
  const keys = floorKeys(prefix)

  /** The site's devices (or only those named). */
  async function deviceTiles(site: string, only?: string[]): Promise<DeviceTile[]> {
    const [rows, today] = await Promise.all([
      db
        .select({ deviceId: devices.id, kind: devices.kind, status: devices.status, lastSeenAt: devices.lastSeenAt })
        .from(devices)
        .where(and(eq(devices.site, site), only ? inArray(devices.id, only) : undefined))
        .orderBy(devices.id),
      redis.hGetAll(keys.today(localDay(new Date(now())))),
    ])
    return rows.map((r) => ({
      deviceId: r.deviceId,
      kind: r.kind,
      status: r.status === 'online' ? 'online' : 'offline',
      lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
      eventsToday: Number(today[r.deviceId] ?? 0),
    }))
  }

  async function activity(site: string): Promise<FeedMessage> {
    const minuteNow = epochMinute(now())
    const minutes = Array.from({ length: 60 }, (_, i) => minuteNow - 59 + i)
    const [recent, counts] = await Promise.all([
      redis.lRange(keys.recent(site), 0, -1),
      redis.mGet(minutes.map((m) => keys.minute(site, m))),
    ])
    return {
      type: 'activity',
      items: recent.map((r) => JSON.parse(r) as ActivityItem),
      byDevice: {},
      perMinute: minutes.map((m, i) => ({ minute: new Date(m * 60_000).toISOString(), count: Number(counts[i] ?? 0) })),
    }
  }

  /** The site's pending held events; an event's site is its device's, kept in the queued event. */
  async function held(site: string): Promise<FeedMessage> {
    const pending = and(eq(heldEvents.status, 'pending'), sql`JSON_VALUE(${heldEvents.payload}, '$.site') = ${site}`)
    const [rows, [count]] = await Promise.all([
      db
        .select({
          eventId: heldEvents.eventId,
          deviceId: heldEvents.deviceId,
          sku: products.sku,
          location: locations.code,
          code: heldEvents.reasonCode,
          reason: heldEvents.reason,
          createdAt: heldEvents.createdAt,
        })
        .from(heldEvents)
        .leftJoin(products, eq(products.id, heldEvents.productId))
        .leftJoin(locations, eq(locations.id, heldEvents.locationId))
        .where(pending)
        .orderBy(desc(heldEvents.id))
        .limit(HELD_LISTED),
      db
        .select({ n: sql<number>`count(*)` })
        .from(heldEvents)
        .where(pending),
    ])
    return {
      type: 'held_event',
      held: rows.reverse().map(({ createdAt, deviceId, ...r }) => ({ ...r, deviceId: deviceId ?? '', at: createdAt.toISOString() })),
      pending: Number(count?.n ?? 0),
    }
  }

  async function reconciliation(site: string): Promise<FeedMessage> {
    const last = await redis.get(keys.reconciliation(site))
    return { type: 'reconciliation', run: last ? JSON.parse(last) : null }
  }

  return {
    deviceTiles,
    /**
     * The feed's state now for a screen of `site`, all of it the site's: its devices, its recent
     * activity with the per-minute counts, its held events, the last reconciliation's figures.
     */
    async initial(site: string): Promise<FeedMessage[]> {
      const [tiles, ...rest] = await Promise.all([deviceTiles(site), activity(site), held(site), reconciliation(site)])
      return [{ type: 'device_status', devices: tiles }, ...rest]
    },
    /** Names and the site's low-stock thresholds of the catalog (or of the named products). */
    async productInfo(site: string, skus?: string[]): Promise<ProductInfo[]> {
      return db
        .select({
          sku: products.sku,
          name: products.name,
          unit: products.unit,
          reorderThreshold: sql<number>`COALESCE(${reorderThresholds.threshold}, ${products.reorderThreshold})`.mapWith(Number),
        })
        .from(products)
        .leftJoin(reorderThresholds, and(eq(reorderThresholds.productId, products.id), eq(reorderThresholds.site, site)))
        .where(skus ? inArray(products.sku, skus) : undefined)
        .orderBy(products.sku)
    },
  }
}

export type FloorState = ReturnType<typeof createFloorState>
