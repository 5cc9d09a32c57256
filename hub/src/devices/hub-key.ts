/**
 * The hub's key seals device signing secrets at rest (AES-256-GCM). Without HUB_SECRET_KEY the
 * hub uses this development key, which is public (it is in the repository), and warns at start-up:
 * anyone with a database dump and this key can read the device secrets. Set a key of your own
 * anywhere but a developer's machine.
 */
export const DEVELOPMENT_HUB_KEY = '01960e9ad3348013521babaa95e3b1d0da4bc6c2ca2e01b7b0f9fade606d4217'

export const HUB_KEY_FORMAT = '32 bytes written as 64 hex digits or as base64 (make one with: openssl rand -hex 32)'

/** The 32 key bytes from 64 hex digits or base64 (standard or URL-safe), or undefined if it is neither. */
export function decodeHubKey(text: string): Buffer | undefined {
  const trimmed = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex')
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined
  const bytes = Buffer.from(trimmed, 'base64')
  return bytes.length === 32 ? bytes : undefined
}

/** The key to seal with: the configured one, or the development key when none is set. */
export function resolveHubKey(configured: string | undefined): { key: Buffer; development: boolean } {
  if (configured === undefined) return { key: Buffer.from(DEVELOPMENT_HUB_KEY, 'hex'), development: true }
  const key = decodeHubKey(configured)
  if (!key) throw new Error(`HUB_SECRET_KEY must be ${HUB_KEY_FORMAT}`)
  return { key, development: false }
}
