/** The hub's answer to a refused request: RFC 9457 problem details with the hub's `code`. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly details: readonly object[] = [],
  ) {
    super(detail)
  }
}

let csrfToken = ''
/** Set from the session: every change the console sends carries it, so no other site can send one. */
export const setCsrfToken = (token: string) => void (csrfToken = token)

/** Called when the hub says the session is gone (signed out elsewhere, disabled, expired). */
let onSignedOut = () => {}
export const whenSignedOut = (handler: () => void) => void (onSignedOut = handler)

/**
 * The hub's API with the session cookie. JSON in and out (a Blob body, such as a file to import,
 * goes as it is, typed by its own type); a refusal is thrown as a Problem whose message is the
 * hub's own words, so a page can show it as it is.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = body instanceof Blob ? body.type : 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
  })
  if (response.status === 204) return undefined as T
  const text = await response.text()
  const payload = text ? (JSON.parse(text) as Record<string, unknown>) : {}
  if (response.ok) return payload as T
  if (response.status === 401) onSignedOut()
  const detail = String(payload.detail ?? payload.title ?? response.statusText)
  throw new Problem(response.status, String(payload.code ?? 'HTTP_' + response.status), detail, (payload.details as object[]) ?? [])
}

/** A query string of the defined values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}
