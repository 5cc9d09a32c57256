import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { actorOf } from '../../auth/caller.ts'
import {
  ProblemSchema,
  ApiKeyInfoSchema,
  ApiKeyListSchema,
  ApiKeyParamsSchema,
  ApiKeySelfSchema,
  CreateApiKeySchema,
  IssuedApiKeySchema,
  type ApiRole,
} from '@wh/shared'
import { HubError } from '../../errors.ts'

/**
 * Admin: API keys (create, list, revoke), and `GET /api/keys/self` for any valid key to see what
 * it is. A revocation applies on this instance at once and on the others within API_KEY_CACHE_MS.
 */
const keyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, verifier } = app.apiKeys

  app.get(
    '/api/keys/self',
    { config: { role: 'any' }, schema: { summary: 'The calling key: its name, role and sites', response: { 200: ApiKeySelfSchema } } },
    async (request) => {
      const { kind, name, role, prefix, sites } = request.caller!
      if (kind !== 'key') throw new HubError('FORBIDDEN_ROLE', 'a person has no key; GET /api/session says who is signed in')
      return { name, role: role as ApiRole, prefix: prefix!, sites: sites ? [...sites] : null }
    },
  )

  app.get(
    '/api/keys',
    { schema: { summary: 'Every API key, revoked ones too (never the keys themselves)', response: { 200: ApiKeyListSchema } } },
    async () => ({
      keys: await store.list(),
    }),
  )

  app.post(
    '/api/keys',
    {
      schema: {
        summary: 'Create an API key; the answer holds the key, shown this once',
        body: CreateApiKeySchema,
        response: { 201: IssuedApiKeySchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      reply.code(201).header('cache-control', 'no-store')
      return store.create(request.body, actorOf(request))
    },
  )

  app.delete(
    '/api/keys/:id',
    {
      schema: {
        summary: 'Revoke an API key (by id or prefix); hubs refuse it within seconds',
        params: ApiKeyParamsSchema,
        response: { 200: ApiKeyInfoSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const info = await store.revoke(request.params.id, actorOf(request))
      verifier.forget(info.prefix)
      return info
    },
  )
}

export default keyRoutes
