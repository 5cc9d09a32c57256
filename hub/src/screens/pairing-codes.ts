import { createHash, randomBytes, randomInt } from 'node:crypto'
import { PAIRING_CODE_ALPHABET } from '@wh/shared'

const CODE_LENGTH = 8

/**
 * A pairing code: 8 characters drawn uniformly from an alphabet without look-alikes, about 39
 * bits. Only an admin can use one, and only until it expires, so it needs to be readable across a
 * room more than unguessable; the claim secret is what keeps the key the screen's.
 */
export const newPairingCode = () =>
  Array.from({ length: CODE_LENGTH }, () => PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)]).join('')

/** A code as typed (`k7qm-3xrt`, `K7QM 3XRT`) as stored (`K7QM3XRT`). */
export const normalizeCode = (typed: string) => typed.replace(/[- ]/g, '').toUpperCase()

/** The secret a screen collects its key with: 32 random bytes, base64url (43 characters). */
export const newClaimSecret = () => randomBytes(32).toString('base64url')

/** SHA-256 of a claim secret, hex: only the hash is stored (256 random bits need no slow hash). */
export const hashClaim = (claim: string) => createHash('sha256').update(claim).digest('hex')

/** What the sealed key is bound to: a sealed key copied onto another pairing does not open. */
export const sealContext = (code: string) => `screen-pairing:${code}`
