import type { Db } from '../db/connection.ts'
import { createLocationService } from './location-service.ts'
import { createProductService, type ProductChange } from './product-service.ts'
import { createSiteService } from './site-service.ts'

/** Told after each committed change, so a process can drop what it cached of the rows. */
export interface CatalogListener {
  site(code: string): void
  location(site: string, code: string): void | Promise<void>
  product(change: ProductChange): void
}

const unheard: CatalogListener = { site: () => {}, location: () => {}, product: () => {} }

/**
 * The admin catalog: sites, their locations, products with GTINs and per-site thresholds. Each
 * change is one transaction with its audit row naming the actor; the HTTP API and the catalog CLI
 * both use it. `fieldRoot` is where a request's members sit, for naming bad fields (`/body`).
 */
export function createCatalogService(deps: { db: Db; listener?: CatalogListener; fieldRoot?: string }) {
  const { db, listener = unheard } = deps
  return {
    sites: createSiteService(db, (code) => listener.site(code)),
    locations: createLocationService(db, (site, code) => listener.location(site, code)),
    products: createProductService(db, (change) => listener.product(change), deps.fieldRoot),
  }
}

export type CatalogService = ReturnType<typeof createCatalogService>
