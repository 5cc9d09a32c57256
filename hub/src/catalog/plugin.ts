import fp from 'fastify-plugin'
import { createCatalogLookup, type CatalogLookup } from './catalog-lookup.ts'

declare module 'fastify' {
  interface FastifyInstance {
    catalog: CatalogLookup
  }
}

export default fp(
  async function catalog(app) {
    app.decorate('catalog', createCatalogLookup(app.services.database.db, app.services.secretBox))
  },
  { name: 'catalog', dependencies: ['services'] },
)
