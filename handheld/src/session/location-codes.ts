import type { HandheldLocations } from '@wh/shared'
import { deviceGet } from '../link/device-api.ts'

/**
 * The site's location codes (the hub's, or offline the copy kept on the device): a scan equal to
 * one sets the location. A promise, so a scan made while they load waits for them rather than
 * being taken for an item; none at all when they never reached this device.
 */
export function loadLocationCodes(): Promise<ReadonlySet<string>> {
  return deviceGet<HandheldLocations>('/api/handheld/locations').then(
    (answer) => new Set(answer.data.locations.map((l) => l.code)),
    () => new Set<string>(),
  )
}
