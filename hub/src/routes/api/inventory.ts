import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import Type from 'typebox'
import {
  InventoryAsOfSchema,
  InventoryAtQuerySchema,
  InventoryItemSchema,
  InventoryPageSchema,
  InventoryQuerySchema,
  SkuSchema,
  type InventoryItem,
} from '@wh/shared'
import type { ProductStock } from '@wh/shared/live'
import { products, reorderThresholds, sites } from '../../db/schema/index.ts'
import { HubError } from '../../errors.ts'
import { searchCondition } from '../../catalog/product-service.ts'
import { siteOf } from '../api-guard.ts'

interface Info {
  sku: string
  name: string
  active: boolean
  reorderThreshold: number
}

const item = (site: string, info: Info, stock: ProductStock | undefined): InventoryItem => {
  const s = stock ?? { onHand: 0, reserved: 0, available: 0, locations: {} }
  return {
    sku: info.sku,
    site,
    name: info.name,
    active: info.active,
    onHand: s.onHand,
    reserved: s.reserved,
    available: s.available,
    reorderThreshold: info.reorderThreshold,
    low: s.available <= info.reorderThreshold,
    locations: s.locations,
  }
}

/**
 * Live stock of one site for the ordering site, from that site's cache, with names and the
 * low-stock flag by the site's threshold. The site is named (`?site=`) unless the key is limited
 * to exactly one.
 */
const inventory: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services.database
  const columns = {
    sku: products.sku,
    name: products.name,
    active: products.active,
    // The site's own threshold, else the product's.
    reorderThreshold: sql<number>`COALESCE(${reorderThresholds.threshold}, ${products.reorderThreshold})`.mapWith(Number),
  }
  /** Products with their thresholds at `site`. */
  const atSite = (site: string) =>
    db
      .select(columns)
      .from(products)
      .leftJoin(reorderThresholds, and(eq(reorderThresholds.productId, products.id), eq(reorderThresholds.site, site)))
  async function knownSite(site: string) {
    const [found] = await db.select({ code: sites.code }).from(sites).where(eq(sites.code, site)).limit(1)
    if (!found) throw new HubError('NOT_FOUND', `no site ${site}`)
  }

  app.get(
    '/api/inventory',
    {
      schema: {
        summary: 'Live stock at a site, a page of products in SKU order (active ones unless `includeInactive`)',
        querystring: InventoryQuerySchema,
        response: { 200: InventoryPageSchema },
      },
    },
    async (request) => {
      const { search, low, after, limit, includeInactive } = request.query
      const site = siteOf(request, request.query.site)
      await knownSite(site)
      const items: InventoryItem[] = []
      let cursor = after
      // A low-stock filter is applied after reading the cache, so a page may take a few reads.
      while (items.length < limit) {
        const where: SQL[] = []
        if (cursor) where.push(gt(products.sku, cursor))
        if (search) where.push(searchCondition(search)!)
        if (!includeInactive) where.push(eq(products.active, true))
        const rows = await atSite(site)
          .where(and(...where))
          .orderBy(asc(products.sku))
          .limit(limit)
        if (rows.length === 0) return { site, items, next: null }
        const { data } = await app.services.liveCache.snapshot(
          site,
          rows.map((r) => r.sku),
        )
        const stock = new Map(data.map((d) => [d.sku, d]))
        for (const row of rows) {
          const it = item(site, row, stock.get(row.sku))
          if (!low || it.low) items.push(it)
          cursor = row.sku
          if (items.length === limit) break
        }
        if (rows.length < limit) return { site, items, next: null }
      }
      return { site, items, next: cursor ?? null }
    },
  )

  app.get(
    '/api/inventory/:sku',
    {
      schema: {
        summary: 'Live stock of one product at a site, or its on hand there at a past time (`at`)',
        params: Type.Object({ sku: SkuSchema }, { additionalProperties: false }),
        querystring: InventoryAtQuerySchema,
        response: { 200: Type.Union([InventoryItemSchema, InventoryAsOfSchema]) },
      },
    },
    async (request) => {
      const site = siteOf(request, request.query.site)
      await knownSite(site)
      if (request.query.at !== undefined) return app.ledger.stockAt(site, request.params.sku, new Date(request.query.at))
      const [[info], stock] = await Promise.all([
        atSite(site).where(eq(products.sku, request.params.sku)).limit(1),
        app.services.liveCache.read(site, request.params.sku),
      ])
      if (!info) throw new HubError('NOT_FOUND', `no product ${request.params.sku}`)
      return item(site, info, stock)
    },
  )
}

export default inventory
