import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { and, eq, lt } from 'drizzle-orm'
import Type from 'typebox'
import { IdentifierSchema } from '@wh/shared'
import { locations, poLines, productGtins, products, purchaseOrders } from '../../db/schema/index.ts'
import { assertSite } from '../api-guard.ts'

interface ProductGtinRow {
  sku: string
  name: string
  unit: string
  gtin: string | null
  packQty: number | null
}

/** One entry per product, its unit GTIN (the smallest pack) as `gtin` and every pack in `gtins`. */
function withGtins(rows: ProductGtinRow[]) {
  const bySku = new Map<string, { sku: string; name: string; unit: string; gtin: string | null; gtins: { gtin: string; qty: number }[] }>()
  for (const { gtin, packQty, ...product } of rows) {
    const entry = bySku.get(product.sku) ?? { ...product, gtin: gtin, gtins: [] }
    if (gtin !== null) entry.gtins.push({ gtin, qty: packQty! })
    bySku.set(product.sku, entry)
  }
  return [...bySku.values()]
}

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
          .select({ sku: products.sku, name: products.name, unit: products.unit, gtin: productGtins.gtin, packQty: productGtins.qty })
          .from(products)
          .leftJoin(productGtins, eq(productGtins.productId, products.id))
          .where(eq(products.active, true))
          .orderBy(products.sku, productGtins.qty, productGtins.gtin),
        db
          .select({ code: locations.code, zone: locations.zone })
          .from(locations)
          .where(and(eq(locations.site, request.query.site), eq(locations.active, true)))
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
      return { site: request.query.site, products: withGtins(productRows), locations: locationRows, openPoLines: openLines }
    },
  )
}

export default catalog
