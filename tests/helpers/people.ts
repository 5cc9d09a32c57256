import type { PersonRole, SessionInfo } from '@wh/shared'
import type { HubApp } from '../../hub/src/app.ts'
import { httpUrl } from './screen.ts'

export const PASSWORD = 'correct horse battery staple'

/** Adds a person straight through the hub's store (as the CLI does), audited under `test`. */
export async function addPerson(hub: HubApp, username: string, role: PersonRole, extra: { password?: string; sites?: string[] } = {}) {
  return hub.people.store.create(
    {
      username,
      displayName: username.replace(/^./, (c) => c.toUpperCase()),
      role,
      password: extra.password ?? PASSWORD,
      ...(extra.sites ? { sites: extra.sites } : {}),
    },
    'test',
  )
}

export interface Answer<T = Record<string, unknown>> {
  status: number
  body: T
  headers: Headers
}

/**
 * A browser-like client of one person: keeps the session cookie, and sends the session's CSRF
 * token with every change, as the console does.
 */
export class PersonClient {
  cookie = ''
  csrfToken = ''
  private constructor(readonly baseUrl: string) {}

  /** A signed-in client; `cookie` is one the browser already had (a planted one, say). */
  static async signIn(hub: HubApp, username: string, password = PASSWORD, options: { cookie?: string } = {}): Promise<PersonClient> {
    const client = PersonClient.withCookie(await httpUrl(hub), options.cookie ?? '')
    const answer = await client.signIn(username, password)
    if (answer.status !== 200) throw new Error(`sign-in of ${username}: ${answer.status} ${JSON.stringify(answer.body)}`)
    return client
  }

  /** One sign-in attempt from a fresh browser, whatever its answer. */
  static async try(hub: HubApp, username: string, password: string): Promise<Answer> {
    return PersonClient.withCookie(await httpUrl(hub), '').signIn(username, password)
  }

  static withCookie(baseUrl: string, cookie: string): PersonClient {
    const client = new PersonClient(baseUrl)
    client.cookie = cookie
    return client
  }

  async signIn(username: string, password: string): Promise<Answer> {
    const answer = await this.send<SessionInfo>('POST', '/api/session', { username, password })
    if (answer.status === 200) this.csrfToken = answer.body.csrfToken
    return answer as unknown as Answer
  }

  /** A request as the console sends it; `csrf: false` leaves the token out, as another site's form would. */
  async send<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers }
    if (this.cookie) headers.cookie = this.cookie
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (method !== 'GET' && options.csrf !== false && this.csrfToken) headers['x-csrf-token'] = this.csrfToken
    const response = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const set = response.headers.getSetCookie().find((c) => c.startsWith('wh_session='))
    if (set) this.cookie = set.split(';')[0]!
    const text = await response.text()
    return {
      status: response.status,
      body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
      headers: response.headers,
    }
  }
}
