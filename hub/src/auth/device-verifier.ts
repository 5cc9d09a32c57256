import { DEVICE_AUTH_SCHEME, deviceRequestText, parseDeviceAuthorization, verifyDeviceRequest } from '@wh/shared/signing'
import type { ErrorCode } from '@wh/shared'
import type { DeviceRef } from '../catalog/catalog-lookup.ts'
import type { Caller } from './caller.ts'

/** How far a signed request's `at` may be from the hub's clock: a captured request replays only this long. */
export const DEVICE_REQUEST_SKEW_MS = 5 * 60_000

export type DeviceCaller = Extract<Caller, { kind: 'device' }>

/** A refusal carries what the requester is told (`detail`) and, apart, what is only logged (`why`). */
export type DeviceVerdict = { ok: true; caller: DeviceCaller } | { ok: false; code: ErrorCode; detail: string; why: string }

const SCHEME = new RegExp(`^${DEVICE_AUTH_SCHEME}\\s`, 'i')

/** Whether an Authorization header names the device scheme (schemes are case-insensitive, RFC 9110 §11.1). */
export const isDeviceAuthorization = (value: string | undefined): value is string => value !== undefined && SCHEME.test(value.trim())

/**
 * Checks a handheld's signed request (`Authorization: WH-Device <deviceId>:<at>:<hex>`) against
 * the device registry, as ingest checks its scans: through the catalog's device lookup, so a
 * rotation or a disable holds here within the lookup's few seconds, and at once on the hub that
 * made it. The signature is checked before the device's state is told, so only the holder of the
 * secret learns that the device is disabled or its clock is off.
 */
export function createDeviceVerifier(deps: { device: (id: string) => Promise<DeviceRef | undefined>; now?: () => number }) {
  const now = deps.now ?? Date.now
  const refused = (code: ErrorCode, detail: string, why = detail): DeviceVerdict => ({ ok: false, code, detail, why })

  return async function verifyDevice(authorization: string, method: string, pathAndQuery: string): Promise<DeviceVerdict> {
    const parsed = parseDeviceAuthorization(authorization.trim())
    if (!parsed) return refused('UNAUTHENTICATED', `expected ${DEVICE_AUTH_SCHEME} <deviceId>:<at>:<signature>`, 'malformed')
    const { deviceId, at, signature } = parsed
    const device = await deps.device(deviceId)
    if (!device) return refused('UNKNOWN_DEVICE', deviceId)
    if (device.secret === null) return refused('BAD_SIGNATURE', 'the device has no usable signing secret', device.secretProblem)
    if (!verifyDeviceRequest(deviceRequestText(deviceId, at, method, pathAndQuery), signature, device.secret))
      return refused('BAD_SIGNATURE', "the request is not signed with the device's current secret")
    const skew = at - now()
    if (Math.abs(skew) > DEVICE_REQUEST_SKEW_MS)
      return refused('STALE_REQUEST', `the request's time is ${Math.round(skew / 1000)} s from the hub's; check the device's clock`)
    if (!device.enabled) return refused('DEVICE_DISABLED', deviceId)
    return { ok: true, caller: { kind: 'device', id: device.id, name: device.id, role: 'viewer', sites: [device.site] } }
  }
}

export type DeviceVerifier = ReturnType<typeof createDeviceVerifier>
