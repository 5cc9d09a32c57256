import type { FastifyInstance, FastifyPluginAsync, RawServerDefault } from 'fastify'
import type { FastifyTypeProvider } from 'fastify'
import type { ApiRole } from '@wh/shared'
import { registerRateLimit } from '../plugins/external/rate-limit.ts'
import { createApiGuard } from './api-guard.ts'

// Route plugins of any options and type provider (the TypeBox-typed ones included).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RoutePlugin = FastifyPluginAsync<any, RawServerDefault, any> | FastifyPluginAsync<any, RawServerDefault, FastifyTypeProvider>

/** A group of routes and the role its routes need unless one says otherwise (`config: { role }`). */
export type RouteGroup = readonly [RoutePlugin, ApiRole]

/**
 * Every route that needs an API key, in one encapsulated scope (no fastify-plugin): the guard
 * and the rate limit are this scope's hooks, so they cover these routes and nothing else —
 * `/health`, `/ready`, `/docs` and the dashboard's files stay outside it.
 */
export function authenticated(groups: readonly RouteGroup[]): FastifyPluginAsync {
  return async function authenticatedRoutes(scope: FastifyInstance) {
    const { countFailure } = await registerRateLimit(scope)
    scope.addHook('onRequest', createApiGuard({ verify: (key) => scope.apiKeys.verifier.verify(key), countFailure }))
    // The audit log names who acted: the person a body names, else the API key that made the change.
    scope.addHook('preHandler', async (request) => {
      const body = request.body as Record<string, unknown> | null | undefined
      if (request.apiKey && body && typeof body === 'object' && !Array.isArray(body) && body.actor === undefined)
        body.actor = request.apiKey.name
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
