import type { FastifyReply, FastifyRequest } from 'fastify'
import { roleAllows, type ApiRole } from '@wh/shared'
import { KEY_PROTOCOL_PREFIX } from '@wh/shared/live'
import { HubError } from '../errors.ts'
import { sendProblem } from '../http/problem-details.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The role a route needs (`any`: any valid key); routes get their group's in app.ts unless they say. */
    role?: ApiRole | 'any'
    /** Challenge browsers with Basic auth on a 401 (the key as the password), for pages an admin opens by hand. */
    basicChallenge?: boolean
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
  verify: (key: string) => Promise<{ ok: true; principal: NonNullable<FastifyRequest['apiKey']> } | { ok: false; why: string }>
  /** Counts a refused request against its address; throws a 429 past the limit. */
  countFailure?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
}

/** Answers the refusal here as problem details, whatever error handler the route's plugin set (bull-board has its own). */
const refuse = (reply: FastifyReply, err: HubError) => sendProblem(reply, err)

/**
 * The onRequest hook of every route that needs a key: 401 (with a challenge) without a valid,
 * unrevoked key, 403 when the key's role does not reach the route's. Routes without a role are
 * admin's, so a route nobody thought about is closed, not open.
 */
export function createApiGuard(deps: GuardDeps) {
  return async function apiGuard(request: FastifyRequest, reply: FastifyReply) {
    const config = request.routeOptions.config
    // A refused WebSocket upgrade is answered in plain HTTP on the raw socket, which nothing else
    // closes (the socket plugin only closes the ones it upgraded); an accepted one never finishes.
    if (request.headers.upgrade) reply.raw.once('finish', () => request.raw.socket.end())
    const presented = presentedKey(request)
    const verdict = presented ? await deps.verify(presented) : { ok: false as const, why: 'no key' }
    if (!verdict.ok) {
      if (presented) request.log.warn({ why: verdict.why, url: request.routeOptions.url }, 'API key refused')
      try {
        await deps.countFailure?.(request, reply)
      } catch (err) {
        return refuse(reply, err as HubError)
      }
      const bearer = 'Bearer realm="warehouse-hub"'
      reply.header('www-authenticate', config.basicChallenge ? `Basic realm="warehouse-hub", ${bearer}` : bearer)
      return refuse(reply, new HubError('UNAUTHENTICATED'))
    }
    const key = verdict.principal
    request.apiKey = key
    request.log = request.log.child({ apiKey: `${key.name}/${key.prefix}` })
    const needed = config.role ?? 'admin'
    if (needed !== 'any' && !roleAllows(key.role, needed)) {
      return refuse(reply, new HubError('FORBIDDEN_ROLE', `this needs ${needed}, the key is ${key.role}`))
    }
  }
}

/** Refuses a key limited to other sites (403); a key without sites may act for any. */
export function assertSite(request: FastifyRequest, site: string) {
  const sites = request.apiKey?.sites
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
  const sites = request.apiKey?.sites
  if (sites?.length === 1) return sites[0]!
  throw new HubError('SITE_REQUIRED')
}

/**
 * The sites a read may cover: the one named (403 if the key may not read it), else the key's
 * sites, or undefined for every site when the key is not limited.
 */
export function readableSites(request: FastifyRequest, site: string | undefined): readonly string[] | undefined {
  if (site === undefined) return request.apiKey?.sites ?? undefined
  assertSite(request, site)
  return [site]
}
