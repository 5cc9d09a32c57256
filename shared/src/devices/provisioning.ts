import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'
import { createValidator, type Validation } from '../validate.ts'

/**
 * What a handheld needs to join the hub, as the console shows it once (text and QR code) when a
 * device is registered or its secret rotated: where the hub and the broker are, the topic root,
 * the device's id and site, and its signing secret (events are signed as `@wh/shared/signing`
 * v1 does). JSON with a format name and a version, so a handheld can tell this from any other QR
 * code it scans and refuse a version it does not know. The broker password of a secured broker is
 * not in it: the hub never holds those (docs/devices.md).
 */
export const PROVISIONING_FORMAT = 'wh-device'
export const PROVISIONING_VERSION = 1

const TopicLevel = '[A-Za-z0-9][A-Za-z0-9_.-]{0,63}'

export const DeviceProvisioningSchema = Type.Object(
  {
    format: Type.Literal(PROVISIONING_FORMAT),
    v: Type.Literal(PROVISIONING_VERSION),
    hub: Type.String({ pattern: '^https?://\\S+$', maxLength: 512, description: "The hub's HTTP address (PUBLIC_URL)" }),
    mqtt: Type.String({ pattern: '^(mqtts?|wss?)://\\S+$', maxLength: 512, description: "The broker's address (PUBLIC_MQTT_URL)" }),
    topicRoot: Type.String({ pattern: `^${TopicLevel}(/${TopicLevel})*$`, description: 'First topic level(s) (MQTT_TOPIC_ROOT)' }),
    deviceId: IdentifierSchema,
    site: IdentifierSchema,
    secret: Type.String({ pattern: '^[A-Za-z0-9_-]{32,128}$', description: 'The signing secret (base64url)' }),
  },
  { additionalProperties: false },
)

export type DeviceProvisioning = Static<typeof DeviceProvisioningSchema>

const checkProvisioning = createValidator(DeviceProvisioningSchema)

/**
 * Reads a scanned provisioning code: the payload, or why it is not one this version can use
 * (another QR code, a newer version, a damaged field).
 */
export function parseProvisioning(text: string): Validation<DeviceProvisioning> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, error: 'not a device provisioning code (not JSON)' }
  }
  const { format, v } = (value ?? {}) as { format?: unknown; v?: unknown }
  if (format !== PROVISIONING_FORMAT) return { ok: false, error: 'not a device provisioning code' }
  if (v !== PROVISIONING_VERSION)
    return { ok: false, error: `provisioning version ${String(v)} is not supported (this reads ${PROVISIONING_VERSION})` }
  return checkProvisioning(value)
}
