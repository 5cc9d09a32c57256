import { deviceAuthorization } from '@wh/shared/signing/web'
import type { HubApp } from '../../hub/src/app.ts'
import { testDeviceSecret } from './device-secrets.ts'

type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface DeviceRequestOptions {
  method?: Method
  /** The secret it signs with; the device's `testDeviceSecret` unless given. */
  secret?: string
  /** The device's clock, unix milliseconds; now unless given. */
  at?: number
  /** What is signed, when a test sends something else than it signed. */
  signedPath?: string
  payload?: object
}

/**
 * A request signed as a handheld signs it (`Authorization: WH-Device …`, by the browser signer the
 * app uses), sent to a test hub; answers the status and the parsed body.
 */
export async function deviceRequest<T = Record<string, unknown>>(hub: HubApp, deviceId: string, url: string, o: DeviceRequestOptions = {}) {
  const method = o.method ?? 'GET'
  const authorization = await deviceAuthorization(deviceId, o.secret ?? testDeviceSecret(deviceId), method, o.signedPath ?? url, o.at)
  const res = await hub.inject({ method, url, headers: { authorization }, ...(o.payload ? { payload: o.payload } : {}) })
  return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T, headers: res.headers }
}
