import fp from 'fastify-plugin'
import { createCatalogLookup, type CatalogLookup } from './catalog-lookup.ts'
import { createCatalogService, type CatalogService } from './catalog-service.ts'
import { republishLocation } from './location-levels.ts'
import type { ProductChange } from './product-service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    catalog: CatalogLookup
    catalogAdmin: CatalogService
    /** Told after a product joined or left the active catalog through this process (webhook full syncs listen). */
    onProductListing: (listener: (change: ProductChange) => void) => void
  }
}

export default fp(
  async function catalog(app) {
    const { db } = app.services.database
    const lookup = createCatalogLookup(db, app.services.secretBox)
    app.decorate('catalog', lookup)
    const listings: ((change: ProductChange) => void)[] = []
    app.decorate('onProductListing', (listener: (change: ProductChange) => void) => void listings.push(listener))
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
      product: (change: ProductChange) => {
        lookup.forgetProduct(change.sku, change.gtins)
        if (change.listing) for (const listener of listings) listener(change)
      },
    }
    app.decorate('catalogAdmin', createCatalogService({ db, listener, fieldRoot: '/body' }))
  },
  { name: 'catalog', dependencies: ['services'] },
)
