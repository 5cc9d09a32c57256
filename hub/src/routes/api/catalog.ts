import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { and, eq, lt } from 'drizzle-orm'
import Type from 'typebox'
import { IdentifierSchema } from '@wh/shared'
import { locations, poLines, products, purchaseOrders } from '../../db/schema/index.ts'
import { assertSite } from '../api-guard.ts'

/** What a handheld or the simulator needs to scan: products with their barcodes, a site's locations and its open POs' lines. */
const catalog: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/catalog',
    { schema: { querystring: Type.Object({ site: IdentifierSchema }, { additionalProperties: false }) } },
    async (request) => {
      assertSite(request, request.query.site)
      const { db } = app.services.database
      const [productRows, locationRows, openLines] = await Promise.all([
        db
          .select({ sku: products.sku, gtin: products.gtin, name: products.name, unit: products.unit })
          .from(products)
          .orderBy(products.sku),
        db
          .select({ code: locations.code, zone: locations.zone })
          .from(locations)
          .where(eq(locations.site, request.query.site))
          .orderBy(locations.code),
        db
          .select({ poNumber: purchaseOrders.poNumber, sku: products.sku })
          .from(poLines)
          .innerJoin(purchaseOrders, eq(purchaseOrders.id, poLines.poId))
          .innerJoin(products, eq(products.id, poLines.productId))
          .where(
            and(
              eq(purchaseOrders.site, request.query.site),
              eq(purchaseOrders.status, 'open'),
              lt(poLines.qtyReceived, poLines.qtyOrdered),
            ),
          )
          .orderBy(purchaseOrders.poNumber, products.sku),
      ])
      return { site: request.query.site, products: productRows, locations: locationRows, openPoLines: openLines }
    },
  )
}

export default catalog
