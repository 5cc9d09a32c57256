/**
 * What a device signs, as text: no crypto here, so the Node signer (node:crypto, what the hub
 * verifies with) and the browser signer (WebCrypto) hash the very same characters, and the hub
 * can check a request's header without pulling in either.
 */

/** Names what is signed, so a signature over a scan event is never valid for another message kind. */
export const EVENT_CONTEXT = 'wh-scan-event/v1\n'
/** The same for a device's HTTP request: a scan's signature can never pass as a request's. */
export const DEVICE_REQUEST_CONTEXT = 'wh-device-request/v1\n'
/** The HTTP authentication scheme of a device's signed requests. */
export const DEVICE_AUTH_SCHEME = 'WH-Device'

/** An HMAC-SHA256 as both signers write it: 64 lowercase hex digits. */
export const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/

/**
 * JSON with every object's keys in sorted order and no whitespace; members whose value is
 * `undefined` are left out, as JSON.stringify leaves them out. For a flat object this is exactly
 * `JSON.stringify(o, Object.keys(o).sort())`, the form the hub has always hashed events in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const members: string[] = []
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(v)}`)
    }
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value)
}

/** The event without its `signature`, as canonical JSON: what is hashed and signed. */
export function canonicalEvent(event: object): string {
  const { signature: _signature, ...rest } = event as Record<string, unknown>
  return canonicalJson(rest)
}

/** The exact text an event's HMAC is computed over. */
export const eventSigningText = (event: object) => EVENT_CONTEXT + canonicalEvent(event)

/**
 * The exact text a device's request signature is computed over. `at` is the device's clock in unix
 * milliseconds (the hub refuses one too far off), `pathAndQuery` the request target as sent, e.g.
 * `/api/handheld/orders?x=1`.
 */
export function deviceRequestText(deviceId: string, at: number, method: string, pathAndQuery: string): string {
  return `${DEVICE_REQUEST_CONTEXT}${deviceId}\n${at}\n${method.toUpperCase()}\n${pathAndQuery}`
}

export interface DeviceAuthorization {
  deviceId: string
  at: number
  signature: string
}

/** The `Authorization` header value: `WH-Device <deviceId>:<at>:<64 hex>`. */
export const formatDeviceAuthorization = ({ deviceId, at, signature }: DeviceAuthorization) =>
  `${DEVICE_AUTH_SCHEME} ${deviceId}:${at}:${signature}`

// Device ids are topic-level identifiers (IdentifierSchema): never a ':' or a space.
const CREDENTIALS = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63}):(\d{1,15}):([0-9a-f]{64})$/

/**
 * The parts of a `WH-Device` header value, or null when it is not one (another scheme, or a
 * malformed value). The scheme is matched case-insensitively, as HTTP auth schemes are (RFC 9110).
 */
export function parseDeviceAuthorization(value: string): DeviceAuthorization | null {
  const space = value.indexOf(' ')
  if (space === -1 || value.slice(0, space).toLowerCase() !== DEVICE_AUTH_SCHEME.toLowerCase()) return null
  const m = CREDENTIALS.exec(value.slice(space + 1).trim())
  return m ? { deviceId: m[1]!, at: Number(m[2]), signature: m[3]! } : null
}
