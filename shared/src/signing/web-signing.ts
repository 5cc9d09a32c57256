import { deviceRequestText, eventSigningText, formatDeviceAuthorization } from './canonical.ts'

/**
 * The same signatures as `@wh/shared/signing`, with WebCrypto (`crypto.subtle`), which browsers
 * and Node 20 both have: the browser handheld signs with this, and tests/fixtures/
 * signing-vectors.json holds both to the same bytes. WebCrypto is async, hence the promises.
 */

export * from './canonical.ts'

const utf8 = new TextEncoder()

const importKey = (secret: string) =>
  crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])

// Three lines beat a dependency: WebCrypto gives bytes, the wire wants lowercase hex.
const toHex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('')

const hmacHex = async (key: CryptoKey, text: string) => toHex(await crypto.subtle.sign('HMAC', key, utf8.encode(text)))

/** A signer for one secret, importing its key once: `(event) => 64 hex digits`. */
export function createEventSigner(secret: string): (event: object) => Promise<string> {
  const key = importKey(secret)
  // Not left unhandled before the first signature asks for it; that call still sees the error.
  key.catch(() => undefined)
  return async (event) => hmacHex(await key, eventSigningText(event))
}

/** One event's signature (imports the key each time; keep a `createEventSigner` for many). */
export function signEventWeb(event: object, secret: string): Promise<string> {
  return createEventSigner(secret)(event)
}

/**
 * The whole `Authorization` header value of a device's request:
 * `WH-Device <deviceId>:<at>:<signature>`, `at` defaulting to now (unix milliseconds).
 */
export async function deviceAuthorization(
  deviceId: string,
  secret: string,
  method: string,
  pathAndQuery: string,
  at: number = Date.now(),
): Promise<string> {
  const signature = await hmacHex(await importKey(secret), deviceRequestText(deviceId, at, method, pathAndQuery))
  return formatDeviceAuthorization({ deviceId, at, signature })
}
