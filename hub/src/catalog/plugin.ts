import fp from 'fastify-plugin'
import { createCatalogLookup, type CatalogLookup } from './catalog-lookup.ts'
import { createCatalogService, type CatalogService } from './catalog-service.ts'
import { republishLocation } from './location-levels.ts'

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
      location: async (site: string, code: string) => {
        lookup.forgetLocation(site, code)
        // The change is committed: a cache Redis cannot take now is brought back by reconciliation.
        await republishLocation(app.services.database.pool, app.services.stock, site, code).catch((err: Error) =>
          app.log.warn({ err: err.message, site, code }, 'location change not republished'),
        )
      },
      product: ({ sku, gtins }: { sku: string; gtins: string[] }) => lookup.forgetProduct(sku, gtins),
    }
    app.decorate('catalogAdmin', createCatalogService({ db, listener, fieldRoot: '/body' }))
  },
  { name: 'catalog', dependencies: ['services'] },
)
