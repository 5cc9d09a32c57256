import { PROVISIONING_FORMAT, PROVISIONING_VERSION, type DeviceProvisioning, type DeviceWithSecret } from '@wh/shared'
import type { Config } from '../config.ts'

/** Where handhelds reach the hub and the broker, and the topic root they publish under. */
export interface PublicAddresses {
  hub: string
  mqtt: string
  topicRoot: string
}

/** A URL without the login it may carry: the hub's own broker login must not end up in a QR code. */
function withoutLogin(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  return parsed.toString().replace(/\/$/, '')
}

/**
 * The configured public addresses (PUBLIC_URL, PUBLIC_MQTT_URL), else the address the request
 * came to (the console's, which a handheld on the same network reaches too) and MQTT_URL.
 */
export function publicAddresses(config: Config, requestOrigin: string): PublicAddresses {
  return {
    hub: withoutLogin(config.PUBLIC_URL ?? requestOrigin),
    mqtt: withoutLogin(config.PUBLIC_MQTT_URL ?? config.MQTT_URL),
    topicRoot: config.MQTT_TOPIC_ROOT,
  }
}

/** What a handheld scans to join: the addresses, who it is, and its secret. */
export function provisioningFor(issued: Omit<DeviceWithSecret, 'provisioning'>, at: PublicAddresses): DeviceProvisioning {
  const { device, secret } = issued
  return { format: PROVISIONING_FORMAT, v: PROVISIONING_VERSION, ...at, deviceId: device.id, site: device.site, secret }
}
