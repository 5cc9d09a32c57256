import { createHmac, timingSafeEqual } from 'node:crypto'
import { SIGNATURE_PATTERN, eventSigningText } from './canonical.ts'

/**
 * Signed scan events and device requests, with node:crypto: what the hub verifies with and what
 * Node devices sign with. A device signs with its own secret; the hub recomputes the signature and
 * refuses whatever disagrees. Kept out of the package's root entry (`@wh/shared/signing`) because
 * it needs node:crypto; browsers use `@wh/shared/signing/web`, which gives the same bytes.
 */

export * from './canonical.ts'

const hmac = (text: string, secret: string) => createHmac('sha256', secret).update(text).digest()

/** Constant-time comparison of a claimed hex signature with the expected MAC. */
const matches = (claimed: unknown, expected: Buffer) =>
  typeof claimed === 'string' && SIGNATURE_PATTERN.test(claimed) && timingSafeEqual(Buffer.from(claimed, 'hex'), expected)

/** HMAC-SHA256 of the event's canonical form with the device's secret, as 64 lowercase hex digits. */
export function signEvent(event: object, secret: string): string {
  return hmac(eventSigningText(event), secret).toString('hex')
}

/** The event with its signature set (any signature it had is replaced). */
export function withSignature<T extends object>(event: T, secret: string): T & { signature: string } {
  return { ...event, signature: signEvent(event, secret) }
}

/**
 * Whether `event.signature` is this secret's signature of the event. Works on any parsed JSON
 * object, valid event or not, and compares in constant time.
 */
export function verifyEventSignature(event: object, secret: string): boolean {
  return matches((event as { signature?: unknown }).signature, hmac(eventSigningText(event), secret))
}

/** HMAC-SHA256 of a `deviceRequestText`, as 64 lowercase hex digits. */
export function signDeviceRequest(text: string, secret: string): string {
  return hmac(text, secret).toString('hex')
}

/** Whether `signatureHex` is this secret's signature of the request text; constant time. */
export function verifyDeviceRequest(text: string, signatureHex: string, secret: string): boolean {
  return matches(signatureHex, hmac(text, secret))
}
