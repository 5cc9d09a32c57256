import type { FastifyReply, FastifyRequest } from 'fastify'
import { ErrorCodes, roleAllows, type Role } from '@wh/shared'
import { DEVICE_AUTH_SCHEME } from '@wh/shared/signing'
import type { Caller } from '../auth/caller.ts'
import { isDeviceAuthorization, type DeviceVerifier } from '../auth/device-verifier.ts'
import type { Verdict } from '../auth/key-verifier.ts'
import { KEY_PROTOCOL_PREFIX } from '@wh/shared/live'
import { HubError } from '../errors.ts'
import { sendProblem } from '../http/problem-details.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The role a route needs (`any`: any valid key); routes get their group's in app.ts unless they say. */
    role?: Role | 'any'
    /** Challenge browsers with Basic auth on a 401 (the key as the password), for pages an admin opens by hand. */
    basicChallenge?: boolean
    /** A handheld signing its requests (`WH-Device`) may call this route; every other route refuses devices (403). */
    devices?: boolean
  }
}

/**
 * The key a request presents: `Authorization: Bearer <key>`; `Basic` with the key as the password
 * (a browser's own login prompt); or, on a WebSocket upgrade, a `bearer.<key>` subprotocol. Never
 * a query parameter: URLs end up in logs and browser history.
 */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization
  if (auth) {
    const [scheme, value = ''] = auth.trim().split(/\s+/, 2)
    if (/^bearer$/i.test(scheme!)) return value
    if (/^basic$/i.test(scheme!)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      return decoded.slice(decoded.indexOf(':') + 1)
    }
    return undefined
  }
  const protocols = request.headers['sec-websocket-protocol']
  if (typeof protocols === 'string') {
    const carried = protocols.split(',').find((p) => p.trim().startsWith(KEY_PROTOCOL_PREFIX))
    return carried?.trim().slice(KEY_PROTOCOL_PREFIX.length)
  }
  return undefined
}

export interface GuardDeps {
  verify: (key: string) => Promise<Verdict>
  /** The signed-in person of the request's session cookie, if any (re-read, so a change applies at once). */
  person: (request: FastifyRequest) => Promise<Caller | null>
  /** Counts a refused request against its address; throws a 429 past the limit. */
  countFailure?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  /** Checks a handheld's signed request (`Authorization: WH-Device …`). */
  verifyDevice: DeviceVerifier
}

/** Answers the refusal here as problem details, whatever error handler the route's plugin set (bull-board has its own). */
const refuse = (reply: FastifyReply, err: HubError) => sendProblem(reply, err)

/**
 * The onRequest hook of every route that needs a caller: an API key (programs), a handheld's
 * signed request (only on routes that take devices), else the session of a signed-in person (the
 * console; its CSRF check is the next hook). 401 (with a challenge) without any, 403 when the
 * caller's role does not reach the route's. Routes without a role are admin's, so a route nobody
 * thought about is closed, not open.
 */
export function createApiGuard(deps: GuardDeps) {
  async function keyCaller(request: FastifyRequest, reply: FastifyReply, presented: string): Promise<Caller | undefined> {
    const verdict = await deps.verify(presented)
    if (verdict.ok) {
      request.log = request.log.child({ apiKey: `${verdict.caller.name}/${verdict.caller.prefix}` })
      return verdict.caller
    }
    request.log.warn({ why: verdict.why, url: request.routeOptions.url }, 'API key refused')
    await deps.countFailure?.(request, reply)
    return undefined
  }

  /** A device whose request checks out; a refusal is counted like a refused key and thrown with its own code. */
  async function deviceCaller(request: FastifyRequest, reply: FastifyReply, authorization: string): Promise<Caller> {
    const verdict = await deps.verifyDevice(authorization, request.method, request.url)
    if (verdict.ok) {
      request.log = request.log.child({ device: verdict.caller.name })
      return verdict.caller
    }
    request.log.warn({ code: verdict.code, why: verdict.why, url: request.routeOptions.url }, 'device request refused')
    await deps.countFailure?.(request, reply)
    if (ErrorCodes[verdict.code].status === 401) reply.header('www-authenticate', `${DEVICE_AUTH_SCHEME} realm="warehouse-hub"`)
    throw new HubError(verdict.code, verdict.detail)
  }

  return async function apiGuard(request: FastifyRequest, reply: FastifyReply) {
    const config = request.routeOptions.config
    // A refused WebSocket upgrade is answered in plain HTTP on the raw socket, which nothing else
    // closes (the socket plugin only closes the ones it upgraded); an accepted one never finishes.
    if (request.headers.upgrade) reply.raw.once('finish', () => request.raw.socket.end())
    const authorization = request.headers.authorization
    const presented = presentedKey(request)
    let caller: Caller | null | undefined
    try {
      if (isDeviceAuthorization(authorization)) caller = await deviceCaller(request, reply, authorization)
      else caller = presented ? await keyCaller(request, reply, presented) : await deps.person(request)
      if (caller?.kind === 'person') request.log = request.log.child({ person: caller.name })
    } catch (err) {
      return refuse(reply, err as HubError)
    }
    if (!caller) {
      if (!presented) await deps.countFailure?.(request, reply).catch((err: HubError) => refuse(reply, err))
      if (reply.sent) return
      const bearer = 'Bearer realm="warehouse-hub"'
      reply.header('www-authenticate', config.basicChallenge ? `Basic realm="warehouse-hub", ${bearer}` : bearer)
      return refuse(reply, new HubError('UNAUTHENTICATED'))
    }
    request.caller = caller
    // Whatever its role, a device reads only what its screens need: never a change, never another route.
    if (caller.kind === 'device' && config.devices !== true) {
      return refuse(reply, new HubError('FORBIDDEN_ROLE', `device ${caller.name} may use only the handheld routes`))
    }
    const needed = config.role ?? 'admin'
    if (needed !== 'any' && !roleAllows(caller.role, needed)) {
      return refuse(
        reply,
        new HubError('FORBIDDEN_ROLE', `this needs ${needed}; ${caller.kind === 'key' ? 'the key' : caller.name} is ${caller.role}`),
      )
    }
  }
}

/** Refuses a caller limited to other sites (403); one without sites may act for any. */
export function assertSite(request: FastifyRequest, site: string) {
  const sites = request.caller?.sites
  if (sites && !sites.includes(site)) throw new HubError('FORBIDDEN_SITE', site)
}

/**
 * The one site a read is for: the site named (403 if the key may not read it), else the key's
 * site when it is limited to exactly one; 400 SITE_REQUIRED otherwise.
 */
export function siteOf(request: FastifyRequest, site: string | undefined): string {
  if (site !== undefined) {
    assertSite(request, site)
    return site
  }
  const sites = request.caller?.sites
  if (sites?.length === 1) return sites[0]!
  throw new HubError('SITE_REQUIRED')
}

/**
 * The sites a read may cover: the one named (403 if the key may not read it), else the key's
 * sites, or undefined for every site when the key is not limited.
 */
export function readableSites(request: FastifyRequest, site: string | undefined): readonly string[] | undefined {
  if (site === undefined) return request.caller?.sites ?? undefined
  assertSite(request, site)
  return [site]
}
