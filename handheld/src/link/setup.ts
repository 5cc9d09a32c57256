import { DeviceProvisioningSchema, PROVISIONING_FORMAT, PROVISIONING_VERSION, createValidator, type DeviceProvisioning } from '@wh/shared'
import { STRICT, deviceRange, openHandheldDb } from './handheld-db.ts'

/** What this handheld is: the console's provisioning code, plus the broker password of a secured broker. */
export type DeviceSetup = DeviceProvisioning & { brokerPassword?: string }

/** A setup refused, with a sentence for the person holding the handheld. */
export class SetupError extends Error {
  override name = 'SetupError'
}

const SETUP_KEY = 'setup'
const checkProvisioning = createValidator(DeviceProvisioningSchema)
// Other tabs of the app hear of a new setup too, so none keeps running as the old device.
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('wh-handheld-setup') : undefined
const watchers = new Set<(setup: DeviceSetup) => void>()
channel?.addEventListener('message', (e: MessageEvent<DeviceSetup>) => watchers.forEach((fn) => fn(e.data)))

/** The stored setup, or undefined when this handheld has not been set up. */
export async function loadSetup(): Promise<DeviceSetup | undefined> {
  return (await (await openHandheldDb()).get('meta', SETUP_KEY)) as DeviceSetup | undefined
}

/**
 * Stores the setup. Becoming another device while this one's scans wait for the hub is refused:
 * they are signed as this device and would be lost. The same device with a new secret (a
 * rotation) keeps them; they are signed with the new secret when sent.
 */
export async function saveSetup(setup: DeviceSetup): Promise<void> {
  const { brokerPassword, ...provisioning } = setup
  const checked = checkProvisioning(provisioning)
  if (!checked.ok) throw new SetupError(`this setup cannot be used: ${checked.error}`)
  const db = await openHandheldDb()
  const tx = db.transaction(['meta', 'events', 'settled'], 'readwrite', STRICT)
  const current = (await tx.objectStore('meta').get(SETUP_KEY)) as DeviceSetup | undefined
  if (current && current.deviceId !== setup.deviceId) {
    const waiting = await tx.objectStore('events').index('byDevice').count(deviceRange(current.deviceId))
    if (waiting > 0) {
      tx.abort()
      throw new SetupError(
        `${waiting} scan${waiting === 1 ? '' : 's'} of ${current.deviceId} still wait for the hub; ` +
          `reconnect until they are sent before making this handheld ${setup.deviceId}`,
      )
    }
    // The old device's history: no outbox of it runs here any more to resend or expire it.
    const history = tx.objectStore('settled').index('byDevice')
    for (let cursor = await history.openCursor(deviceRange(current.deviceId)); cursor; cursor = await cursor.continue())
      await cursor.delete()
  }
  const saved: DeviceSetup = { ...checked.value, ...(brokerPassword ? { brokerPassword } : {}) }
  await Promise.all([tx.objectStore('meta').put(saved, SETUP_KEY), tx.done])
  watchers.forEach((fn) => fn(saved))
  channel?.postMessage(saved)
}

/** Calls `fn` with each setup saved from now on, in this tab or another; returns the unsubscribe. */
export function watchSetup(fn: (setup: DeviceSetup) => void): () => void {
  watchers.add(fn)
  return () => void watchers.delete(fn)
}

/**
 * A setup typed in by hand (no QR code): the hub is the page's own origin, the broker the hub's
 * same-origin bridge, the topic root the default one.
 */
export function typedSetup(
  fields: { deviceId: string; site: string; secret: string; brokerPassword?: string },
  location: Pick<Location, 'origin' | 'protocol' | 'host'>,
): DeviceSetup {
  return {
    format: PROVISIONING_FORMAT,
    v: PROVISIONING_VERSION,
    hub: location.origin,
    mqtt: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/mqtt`,
    topicRoot: 'wh',
    deviceId: fields.deviceId.trim(),
    site: fields.site.trim(),
    secret: fields.secret.trim(),
    ...(fields.brokerPassword ? { brokerPassword: fields.brokerPassword } : {}),
  }
}
