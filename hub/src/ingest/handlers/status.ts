import { eq } from 'drizzle-orm'
import type { Log } from '../../log.ts'
import { DeviceStatusSchema, createValidator, type DeviceTopic } from '@wh/shared'
import type { CatalogLookup } from '../../catalog/catalog-lookup.ts'
import type { Db } from '../../db/connection.ts'
import { devices } from '../../db/schema/index.ts'
import type { FloorFeed } from '../../live/floor-feed.ts'
import type { FloorState } from '../../live/floor-state.ts'

const checkStatus = createValidator(DeviceStatusSchema)

/** Records a registered device's retained `online` / `offline` (last will) status and shows it on the floor. */
export function createStatusHandler(deps: { db: Db; catalog: CatalogLookup; log: Log; feed: FloorFeed; state: FloorState }) {
  return async function handleStatus(topic: DeviceTopic, payload: Buffer): Promise<void> {
    const status = checkStatus(payload.toString('utf8'))
    const device = await deps.catalog.device(topic.deviceId)
    if (!status.ok || !device || device.site !== topic.site) {
      deps.log.info({ device: topic.deviceId }, 'ignored status message')
      return
    }
    await deps.db.update(devices).set({ status: status.value, lastSeenAt: new Date() }).where(eq(devices.id, device.id))
    await deps.feed.publish({ type: 'device_status', devices: await deps.state.deviceTiles(device.site, [device.id]) }, device.site)
  }
}
