import fp from 'fastify-plugin'
import { createCatalogLookup, type CatalogLookup } from './catalog-lookup.ts'
import { createCatalogService, type CatalogService } from './catalog-service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    catalog: CatalogLookup
    catalogAdmin: CatalogService
  }
}

export default fp(
  async function catalog(app) {
    const { db } = app.services.database
    const lookup = createCatalogLookup(db, app.services.secretBox)
    app.decorate('catalog', lookup)
    // A change made here is seen by this hub's scans at once; other hubs re-read within the lookup's 60 s.
    const listener = {
      site: lookup.forgetSite,
      location: lookup.forgetLocation,
      product: ({ sku, gtins }: { sku: string; gtins: string[] }) => lookup.forgetProduct(sku, gtins),
    }
    app.decorate('catalogAdmin', createCatalogService({ db, listener, fieldRoot: '/body' }))
  },
  { name: 'catalog', dependencies: ['services'] },
)
