import fp from 'fastify-plugin'
import { createCatalogLookup, type CatalogLookup } from './catalog-lookup.ts'

declare module 'fastify' {
  interface FastifyInstance {
    catalog: CatalogLookup
  }
}

export default fp(
  async function catalog(app) {
    app.decorate('catalog', createCatalogLookup(app.database.db, app.secretBox))
  },
  { name: 'catalog', dependencies: ['db', 'secret-box'] },
)
