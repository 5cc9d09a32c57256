import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ProblemSchema,
  ApiKeyInfoSchema,
  ApiKeyListSchema,
  ApiKeyParamsSchema,
  ApiKeySelfSchema,
  CreateApiKeySchema,
  IssuedApiKeySchema,
} from '@wh/shared'

/**
 * Admin: API keys (create, list, revoke), and `GET /api/keys/self` for any valid key to see what
 * it is. A revocation applies on this instance at once and on the others within API_KEY_CACHE_MS.
 */
const keyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, verifier } = app.apiKeys
  const actor = (request: { apiKey: { name: string } | null }) => request.apiKey?.name ?? 'admin'

  app.get(
    '/api/keys/self',
    { config: { role: 'any' }, schema: { summary: 'The calling key: its name, role and sites', response: { 200: ApiKeySelfSchema } } },
    async (request) => {
      const { name, role, prefix, sites } = request.apiKey!
      return { name, role, prefix, sites: sites ? [...sites] : null }
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
      return store.create(request.body, actor(request))
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
      const info = await store.revoke(request.params.id, actor(request))
      verifier.forget(info.prefix)
      return info
    },
  )
}

export default keyRoutes
