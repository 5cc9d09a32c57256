import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ChangePasswordSchema, ProblemSchema, SessionInfoSchema, SignInSchema } from '@wh/shared'
import Type from 'typebox'
import { HubError } from '../../errors.ts'
import { verifyPassword } from '../../people/passwords.ts'
import { personInfo } from '../../people/person-store.ts'

const refusals = { 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema }

/** A person's own session: who is signed in and the CSRF token, sign out, password change. */
async function sessionInfo(request: FastifyRequest, reply: FastifyReply) {
  const row = await request.server.people.store.byId(request.session.userId!)
  if (!row) throw new HubError('UNAUTHENTICATED')
  reply.header('cache-control', 'no-store')
  return { person: personInfo(row), csrfToken: reply.generateCsrf() }
}

/**
 * Signing in, open to anyone: throttled per account and address, the session id replaced on
 * success (a session id planted before sign-in is worth nothing after it). A cross-site form
 * cannot post here: the route takes JSON only, which a form cannot send.
 */
export const signIn: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/session',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Sign in to the console; answers the person and the CSRF token their changes carry',
        tags: ['people'],
        body: SignInSchema,
        response: { 200: SessionInfoSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body
      const { store, throttle } = app.people
      const wait = await throttle.waitSeconds(username, request.ip)
      if (wait > 0) {
        reply.header('retry-after', String(wait))
        throw new HubError('SIGNIN_THROTTLED', `try again in ${wait} s`)
      }
      const row = await store.forSignIn(username)
      const ok = await verifyPassword(row?.active ? row.passwordHash : undefined, password)
      if (!ok || !row) {
        await throttle.failed(username, request.ip)
        request.log.warn({ username, ip: request.ip }, 'sign-in refused')
        throw new HubError('SIGNIN_FAILED')
      }
      await throttle.succeeded(username)
      await request.session.regenerate()
      request.session.userId = row.id
      await store.signedIn(row.id)
      request.log.info({ person: row.username }, 'signed in')
      return sessionInfo(request, reply)
    },
  )
}

/** The signed-in person's session (role `any`: a key has none, and is told so). */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const personOnly = { role: 'any' as const }
  /** The signed-in person, refusing keys and devices. */
  const ownSession = (request: FastifyRequest) => {
    const caller = request.caller
    if (caller?.kind !== 'person') throw new HubError('FORBIDDEN_ROLE', 'only a signed-in person has a session')
    return caller
  }

  app.get(
    '/api/session',
    {
      config: personOnly,
      schema: { summary: 'Who is signed in, and the CSRF token', tags: ['people'], response: { 200: SessionInfoSchema, ...refusals } },
    },
    async (request, reply) => {
      ownSession(request)
      return sessionInfo(request, reply)
    },
  )

  app.delete(
    '/api/session',
    { config: personOnly, schema: { summary: 'Sign out of this browser', tags: ['people'], response: { 204: Type.Null(), ...refusals } } },
    async (request, reply) => {
      ownSession(request)
      await request.session.destroy()
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/session/sign-out-everywhere',
    {
      config: personOnly,
      schema: {
        summary: "End every one of the person's sessions, this one too",
        tags: ['people'],
        response: { 204: Type.Null(), ...refusals },
      },
    },
    async (request, reply) => {
      await app.people.endSessions(ownSession(request).id)
      await request.session.destroy()
      request.log.info('signed out everywhere')
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/session/password',
    {
      config: personOnly,
      schema: {
        summary: "Change one's own password; every other session of the person ends",
        tags: ['people'],
        body: ChangePasswordSchema,
        response: { 204: Type.Null(), 422: ProblemSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const { store } = app.people
      const row = await store.byId(ownSession(request).id)
      if (!row || !(await verifyPassword(row.passwordHash, request.body.current))) throw new HubError('PASSWORD_WRONG')
      await store.changePassword(row.id, request.body.next)
      await app.people.endSessions(row.id, request.session.sessionId)
      return reply.code(204).send(null)
    },
  )
}
