import fp from 'fastify-plugin'
import { createPoLifecycle, type PoLifecycle } from './po-lifecycle.ts'
import { createPoRepository, type PoRepository } from './po-repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    purchaseOrders: PoRepository & PoLifecycle
  }
}

/**
 * Purchase orders for the admin API. Changing a PO never changes stock, so unlike orders this
 * needs no cache or delta publishing: only the database.
 */
export default fp(
  async function purchasing(app) {
    const { pool } = app.services.database
    app.decorate('purchaseOrders', { ...createPoRepository(pool), ...createPoLifecycle(pool) })
  },
  { name: 'purchasing', dependencies: ['services'] },
)
