import { createHash } from 'node:crypto'

/**
 * The signing secret test fixtures register each device with: derived from its id, so a test's
 * devices, scanners and load generators know it without passing it around. Tests only: a real
 * device's secret is random and shown once.
 */
export const testDeviceSecret = (deviceId: string) => createHash('sha256').update(`test device secret:${deviceId}`).digest('base64url')
