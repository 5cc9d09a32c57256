import { hkdfSync } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import { gatedSession } from './session-gate.ts'
import csrf from '@fastify/csrf-protection'
import type { PersonRole } from '@wh/shared'
import type { Caller } from '../auth/caller.ts'
import { resolveHubKey } from '../devices/hub-key.ts'
import { createPersonStore, type PersonRow, type PersonStore } from './person-store.ts'
import { createSessionStore, type SessionStore } from './session-store.ts'
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts'

declare module 'fastify' {
  interface Session {
    /** The signed-in person; absent before sign-in. */
    userId?: number
  }
  interface FastifyInstance {
    people: {
      store: PersonStore
      sessions: SessionStore
      throttle: SignInThrottle
      /** The signed-in person of a request's session, or null; a disabled account's session is ended here. */
      callerOf: (request: FastifyRequest) => Promise<Caller | null>
      /** For a long-lived request (a socket): whether its session still stands and its person may still sign in. */
      stillSignedIn: (request: FastifyRequest) => Promise<boolean>
      /** Ends every session of a person now: deleted here, and the hubs' console sockets closed. */
      endSessions: (userId: number, keep?: string) => Promise<void>
    }
  }
}

export const SESSION_COOKIE = 'wh_session'

export const personCaller = (row: PersonRow): Caller => ({
  kind: 'person',
  id: row.id,
  name: row.username,
  role: row.role as PersonRole,
  sites: row.sites === null ? null : (JSON.parse(row.sites) as string[]),
})

/**
 * People's sessions: @fastify/cookie, @fastify/session (in MySQL, see session-store.ts) and
 * @fastify/csrf-protection keyed to the session. The cookie is httpOnly and SameSite=Strict, its
 * signing secret derived from the hub's key, so no new secret needs managing; Secure when
 * COOKIE_SECURE (behind TLS). A session only gets a row once someone signs in.
 */
export default fp(
  async function people(app) {
    const { config, services } = app
    const sessions = createSessionStore(services.database.pool)
    const ended = `${config.REDIS_PREFIX}:sessions-ended`
    const store = createPersonStore(services.database.db, (userId) => endSessions(userId))
    const throttle = createSignInThrottle(services.redis, config.REDIS_PREFIX, {
      perAccount: config.SIGNIN_MAX_FAILURES,
      perAddress: config.SIGNIN_MAX_FAILURES * 4,
      windowSeconds: config.SIGNIN_LOCK_SECONDS,
    })

    async function endSessions(userId: number, keep?: string) {
      await sessions.endAll(userId, keep)
      await services.redis.publish(ended, String(userId))
    }

    const secret = Buffer.from(hkdfSync('sha256', resolveHubKey(config.HUB_SECRET_KEY).key, '', 'console session cookie', 32)).toString(
      'hex',
    )
    await app.register(cookie)
    // A route behind the API guard asked without the session cookie has no person to find (a key,
    // a device or nobody calls it), so its session is not made; sign-in and the pages keep theirs.
    await app.register(gatedSession, {
      needs: (request) => request.routeOptions.config.role === undefined || request.cookies[SESSION_COOKIE] !== undefined,
      secret,
      cookieName: SESSION_COOKIE,
      store: sessions,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'strict', secure: config.COOKIE_SECURE, path: '/', maxAge: config.SESSION_HOURS * 3600_000 },
    })
    // x-xsrf-token: what the queue view's page (bull-board, whose requests we cannot change) sends,
    // read by its HTTP client from the XSRF-TOKEN cookie that routes/admin/queues.ts sets.
    await app.register(csrf, {
      sessionPlugin: '@fastify/session',
      getToken: (request) => (request.headers['x-csrf-token'] ?? request.headers['x-xsrf-token']) as string,
    })

    app.decorate('people', {
      store,
      sessions,
      throttle,
      endSessions,
      async stillSignedIn(request) {
        return (await sessions.exists(request.session.sessionId)) && (await callerOf(request)) !== null
      },
      callerOf,
    })

    async function callerOf(request: FastifyRequest): Promise<Caller | null> {
      // No session at all where none was needed (see `needs` above): nobody signed in.
      const userId = (request.session as FastifyRequest['session'] | null)?.userId
      if (userId === undefined) return null
      const row = await store.byId(userId)
      if (row?.active) return personCaller(row)
      await request.session.destroy()
      return null
    }
  },
  { name: 'people', dependencies: ['config', 'services'] },
)
