import fp from 'fastify-plugin'
import { createApiKeyStore, type ApiKeyStore } from './api-key-store.ts'
import { createKeyVerifier, type KeyVerifier } from './key-verifier.ts'
import type { Caller } from './caller.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** API keys: the store (create, list, revoke) and the cached check every request goes through. */
    apiKeys: { store: ApiKeyStore; verifier: KeyVerifier }
  }
  interface FastifyRequest {
    /** The caller (an API key or a signed-in person), once the API guard has checked it; null on public routes. */
    caller: Caller | null
  }
}

export default fp(
  async function apiKeys(app) {
    const store = createApiKeyStore(app.services.database.db)
    const verifier = createKeyVerifier({
      store,
      cacheMs: app.config.API_KEY_CACHE_MS,
      onError: (err) => app.log.warn({ err }, 'could not record when an API key was last used'),
    })
    app.decorate('apiKeys', { store, verifier })
    app.decorateRequest('caller', null)
  },
  { name: 'api-keys', dependencies: ['config', 'services'] },
)
