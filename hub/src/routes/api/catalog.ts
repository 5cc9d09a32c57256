import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import Type from 'typebox'
import { IdentifierSchema } from '@wh/shared'
import { locations, products } from '../../db/schema/index.ts'

/** What a handheld or the simulator needs to scan: products with their barcodes, a site's locations. */
const catalog: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/catalog', { schema: { querystring: Type.Object({ site: IdentifierSchema }) } }, async (request) => {
    const { db } = app.database
    const [productRows, locationRows] = await Promise.all([
      db.select({ sku: products.sku, gtin: products.gtin, name: products.name, unit: products.unit }).from(products).orderBy(products.sku),
      db
        .select({ code: locations.code, zone: locations.zone })
        .from(locations)
        .where(eq(locations.site, request.query.site))
        .orderBy(locations.code),
    ])
    return { site: request.query.site, products: productRows, locations: locationRows }
  })
}

export default catalog
