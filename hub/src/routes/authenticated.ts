import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, RawServerDefault } from 'fastify'
import type { FastifyTypeProvider } from 'fastify'
import type { Role } from '@wh/shared'
import { registerRateLimit } from '../plugins/external/rate-limit.ts'
import { createDeviceVerifier } from '../auth/device-verifier.ts'
import { createApiGuard } from './api-guard.ts'

// Route plugins of any options and type provider (the TypeBox-typed ones included).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RoutePlugin = FastifyPluginAsync<any, RawServerDefault, any> | FastifyPluginAsync<any, RawServerDefault, FastifyTypeProvider>

/** A group of routes and the role its routes need unless one says otherwise (`config: { role }`). */
export type RouteGroup = readonly [RoutePlugin, Role]

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The site a change was for, when its path, query or body names one. */
function siteOf(request: FastifyRequest): { site?: string } {
  for (const part of [request.params, request.query, request.body]) {
    const site = (part as { site?: unknown } | undefined)?.site
    if (typeof site === 'string') return { site }
  }
  return {}
}

/**
 * Every route that needs a caller, in one encapsulated scope (no fastify-plugin): the guard, the
 * CSRF check of people's changes and the rate limit are this scope's hooks, so they cover these
 * routes and nothing else — `/health`, `/ready`, `/docs`, sign-in and the pages' files stay outside.
 */
export function authenticated(groups: readonly RouteGroup[]): FastifyPluginAsync {
  return async function authenticatedRoutes(scope: FastifyInstance) {
    const { countFailure } = await registerRateLimit(scope)
    scope.addHook(
      'onRequest',
      createApiGuard({
        verify: (key) => scope.apiKeys.verifier.verify(key),
        person: (request) => scope.people.callerOf(request),
        verifyDevice: createDeviceVerifier({ device: (id) => scope.catalog.device(id) }),
        countFailure,
      }),
    )
    // A key in a header cannot be sent by another site; a cookie can, so a person's change must
    // carry the token only the console's own page can read.
    scope.addHook('onRequest', (request, reply, done) => {
      if (request.caller?.kind === 'person' && !SAFE_METHODS.has(request.method)) return scope.csrfProtection(request, reply, done)
      done()
    })
    // Every change that went through tells the open consoles, which reload what they show. Not the
    // ordering site's calls: a stock check changes nothing, and what a reservation does to stock
    // the stock announcer already tells, at most once a second, not once per order.
    scope.addHook('onResponse', async (request, reply) => {
      if (SAFE_METHODS.has(request.method) || reply.statusCode >= 400 || request.routeOptions.config.role === 'orders') return
      const topic = request.routeOptions.url?.split('/')[2]
      if (topic) scope.consoleChanges.announce({ topic, ...siteOf(request) })
    })
    for (const [plugin, role] of groups) {
      await scope.register(async function roleDefault(group) {
        group.addHook('onRoute', (route) => {
          route.config = { ...route.config, role: route.config?.role ?? role }
        })
        await group.register(plugin)
      })
    }
  }
}
