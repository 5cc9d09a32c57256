import type { Log } from '../../log.ts'
import { DeviceStatusSchema, createValidator, type DeviceTopic } from '@wh/shared'
import type { CatalogLookup } from '../../catalog/catalog-lookup.ts'
import type { DevicePresence } from '../../devices/device-presence.ts'
import type { DeviceSyncSender } from '../../devices/device-sync.ts'

const checkStatus = createValidator(DeviceStatusSchema)

export interface StatusHandlerDeps {
  catalog: CatalogLookup
  presence: Pick<DevicePresence, 'record' | 'show'>
  sync: Pick<DeviceSyncSender, 'send'>
  log: Log
}

/**
 * Records a registered device's `online` / `offline` (last will) status and shows it on the
 * floor. A device that comes online, and every device found `online` in the retained messages
 * read at start, is sent its sync point, so it resends what the hub may lack.
 */
export function createStatusHandler(deps: StatusHandlerDeps) {
  return async function handleStatus(topic: DeviceTopic, payload: Buffer, retained = false): Promise<void> {
    const status = checkStatus(payload.toString('utf8'))
    const device = await deps.catalog.device(topic.deviceId)
    if (!status.ok || !device || device.site !== topic.site) {
      deps.log.info({ device: topic.deviceId }, 'ignored status message')
      return
    }
    const changed = await deps.presence.record(device.id, status.value)
    await deps.presence.show(device.site, [device.id])
    if (status.value === 'online' && device.enabled && (changed || retained)) await deps.sync.send(device.site, device.id)
  }
}
