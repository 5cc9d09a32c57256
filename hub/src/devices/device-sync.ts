import type { MqttClient } from 'mqtt'
import type { DeviceSync, Topics } from '@wh/shared'
import type { Log } from '../log.ts'

export interface DeviceSyncDeps {
  mqtt: Pick<MqttClient, 'publish'>
  topics: Topics
  /** The sequencer's position for the device (sequence/device-sequencer.ts), null when Redis has none. */
  position: (deviceId: string) => Promise<number | null>
  log: Log
}

/**
 * Tells a device how far the hub has its events (DeviceSyncSchema), so that it resends what it
 * keeps above that point: after a database restore, what the backup did not have.
 *
 * The point is the sequencer's Redis position: every event up to it is admitted, so settled or
 * about to be. Without one (a Redis that is new, as after a restore, or was lost) it is 0, not
 * devices.last_device_seq: that column is the highest seq applied, not a contiguous one. A
 * device's events reach several partitions, so seq 10 can commit before seq 9; a backup taken
 * between the two has 10 and not 9, and a device told 10 would never resend 9, which it had
 * been acked. From 0 the device resends all it keeps; what the hub has is answered `duplicate`.
 */
export function createDeviceSync(deps: DeviceSyncDeps) {
  return {
    async send(site: string, deviceId: string): Promise<void> {
      const message: DeviceSync = { appliedThrough: (await deps.position(deviceId)) ?? 0 }
      deps.mqtt.publish(deps.topics.sync(site, deviceId), JSON.stringify(message), { qos: 1, retain: false }, (err) => {
        // Not retried: the device is sent a new point the next time it comes online.
        if (err) deps.log.warn({ deviceId, err: err.message }, 'device sync not sent')
      })
    },
  }
}

export type DeviceSyncSender = ReturnType<typeof createDeviceSync>
