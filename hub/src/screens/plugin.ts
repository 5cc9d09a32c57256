import fp from 'fastify-plugin'
import { createScreenPairings, type ScreenPairings } from './screen-pairings.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Floor screens paired from the console (see screen-pairings.ts). */
    pairings: ScreenPairings
  }
}

export default fp(
  async function pairings(app) {
    const { services, config, apiKeys } = app
    app.decorate(
      'pairings',
      createScreenPairings({
        db: services.database.db,
        box: services.secretBox,
        keys: apiKeys.store,
        ttlSeconds: config.SCREEN_PAIRING_SECONDS,
      }),
    )
  },
  { name: 'pairings', dependencies: ['config', 'services', 'api-keys'] },
)
