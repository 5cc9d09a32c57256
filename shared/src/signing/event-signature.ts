import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Signed scan events. A device signs each event with its own secret; the hub recomputes the
 * signature and refuses events whose signature, topic or payload disagree. Kept out of the
 * package's root entry (`@wh/shared/signing`) because it needs node:crypto, which the browser
 * bundle of the floor screen must not pull in.
 */

/** Names what is signed, so a signature over a scan event is never valid for another message kind. */
const CONTEXT = 'wh-scan-event/v1\n'
const SIGNATURE = /^[0-9a-f]{64}$/

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

const mac = (event: object, secret: string) =>
  createHmac('sha256', secret)
    .update(CONTEXT + canonicalEvent(event))
    .digest()

/** HMAC-SHA256 of the event's canonical form with the device's secret, as 64 lowercase hex digits. */
export function signEvent(event: object, secret: string): string {
  return mac(event, secret).toString('hex')
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
  const claimed = (event as { signature?: unknown }).signature
  if (typeof claimed !== 'string' || !SIGNATURE.test(claimed)) return false
  return timingSafeEqual(Buffer.from(claimed, 'hex'), mac(event, secret))
}
