import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The key format: `whk_<prefix>_<secret>`. The prefix (6 random bytes, hex) finds the row and
 * names the key in lists and logs; the secret (32 random bytes, base64url) makes it unguessable.
 */
const KEY = /^whk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

export interface ParsedKey {
  prefix: string
  key: string
}

export function newApiKey(): ParsedKey {
  const prefix = randomBytes(6).toString('hex')
  return { prefix, key: `whk_${prefix}_${randomBytes(32).toString('base64url')}` }
}

/** The key's parts, or undefined when the string is not shaped like a key. */
export function parseApiKey(key: string): ParsedKey | undefined {
  const m = KEY.exec(key)
  return m ? { prefix: m[1]!, key } : undefined
}

/**
 * SHA-256 of the whole key, hex. A fast hash is enough here: bcrypt and its kin slow down
 * guessing of low-entropy passwords, but guessing 256 random bits is out of reach at any speed,
 * and every request checks a key, so the check has to be cheap.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}
