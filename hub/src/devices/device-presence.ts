import { and, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import type { DeviceStatus } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { devices } from '../db/schema/index.ts'
import type { FloorFeed } from '../live/floor-feed.ts'
import type { FloorState } from '../live/floor-state.ts'

export interface DevicePresenceDeps {
  db: Db
  feed: Pick<FloorFeed, 'publish'>
  state: Pick<FloorState, 'deviceTiles'>
  /** A device not heard from for longer is shown offline (DEVICE_OFFLINE_AFTER_SECONDS). */
  offlineAfterSeconds: number
}

/**
 * The status a device is shown with (devices.status), and when it was last heard from
 * (devices.last_seen_at: an `online` status here, an applied event in apply/device-activity.ts).
 * Every write is conditional, so any number of hubs may record and sweep at once; times are the
 * database's, as device-activity's are.
 */
export function createDevicePresence(deps: DevicePresenceDeps) {
  const { db } = deps
  const silent = () =>
    and(
      eq(devices.status, 'online'),
      or(isNull(devices.lastSeenAt), lt(devices.lastSeenAt, sql`CURRENT_TIMESTAMP(3) - INTERVAL ${deps.offlineAfterSeconds} SECOND`)),
    )

  /** Sends the floor screens of `site` the named devices' tiles as they stand now. */
  async function show(site: string, ids: string[]) {
    await deps.feed.publish({ type: 'device_status', devices: await deps.state.deviceTiles(site, ids) }, site)
  }

  return {
    show,

    /**
     * A status message from a device: `online` also counts as hearing from it now; an `offline`
     * (its last will, or a retained one read at start) may be old, so it leaves last_seen_at.
     * Returns whether the shown status changed (only one hub sees the change).
     */
    async record(deviceId: string, status: DeviceStatus): Promise<boolean> {
      const heard = status === 'online' ? { lastSeenAt: sql`CURRENT_TIMESTAMP(3)` } : {}
      const [changed] = await db
        .update(devices)
        .set({ status, ...heard })
        .where(and(eq(devices.id, deviceId), ne(devices.status, status)))
      if (changed.affectedRows > 0) return true
      if (status === 'online') await db.update(devices).set(heard).where(eq(devices.id, deviceId))
      return false
    },

    /**
     * Shows offline every device shown online but not heard from within the setting (a broker
     * restart loses last wills), and sends their sites' screens the new tiles. Returns the ids.
     */
    async sweep(): Promise<string[]> {
      const found = await db.select({ id: devices.id, site: devices.site }).from(devices).where(silent())
      if (found.length === 0) return []
      const ids = found.map((d) => d.id)
      // Checked again in the write: a device heard from meanwhile, or swept by another hub, is left alone.
      const [marked] = await db
        .update(devices)
        .set({ status: 'offline' })
        .where(and(inArray(devices.id, ids), silent()))
      if (marked.affectedRows === 0) return []
      for (const site of new Set(found.map((d) => d.site))) {
        await show(
          site,
          found.filter((d) => d.site === site).map((d) => d.id),
        )
      }
      return ids
    },

    /** Registered, enabled devices by the status they are shown with. */
    async counts(): Promise<Record<DeviceStatus, number>> {
      const rows = await db
        .select({ status: devices.status, n: sql<number>`COUNT(*)`.mapWith(Number) })
        .from(devices)
        .where(eq(devices.enabled, true))
        .groupBy(devices.status)
      const online = rows.find((r) => r.status === 'online')?.n ?? 0
      return { online, offline: rows.reduce((sum, r) => sum + r.n, 0) - online }
    },
  }
}

export type DevicePresence = ReturnType<typeof createDevicePresence>
