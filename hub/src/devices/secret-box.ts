import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** Format byte of a sealed secret, so another algorithm or key can be told apart later. */
const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

export class SealError extends Error {}

/**
 * Seals device signing secrets with the hub's key: AES-256-GCM, a fresh IV each time, the device
 * id as additional data (a sealed secret copied onto another device's row does not open), stored
 * as base64 of version, IV, tag and ciphertext.
 */
export function createSecretBox(key: Buffer) {
  if (key.length !== 32) throw new Error('the hub key must be 32 bytes')
  return {
    seal(secret: string, deviceId: string): string {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(deviceId, 'utf8'))
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
      return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]).toString('base64')
    },
    /** The secret, or a SealError if the blob is damaged, of another device, or sealed with another key. */
    unseal(sealed: string, deviceId: string): string {
      const bytes = Buffer.from(sealed, 'base64')
      if (bytes.length <= 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) throw new SealError('not a sealed secret')
      const iv = bytes.subarray(1, 1 + IV_BYTES)
      const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAAD(Buffer.from(deviceId, 'utf8'))
      decipher.setAuthTag(tag)
      try {
        return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        throw new SealError('the sealed secret does not open with this key (HUB_SECRET_KEY changed?)')
      }
    },
  }
}

export type SecretBox = ReturnType<typeof createSecretBox>

/** A new device signing secret: 32 random bytes, base64url (43 characters). */
export const newDeviceSecret = () => randomBytes(32).toString('base64url')
