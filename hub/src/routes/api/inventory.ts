import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { and, asc, eq, gt, like, or, type SQL } from 'drizzle-orm'
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
import { products } from '../../db/schema/index.ts'
import { HubError } from '../../errors.ts'
import { readSite } from '../api-guard.ts'

interface Info {
  sku: string
  name: string
  reorderThreshold: number
}

const item = (info: Info, stock: ProductStock | undefined): InventoryItem => {
  const s = stock ?? { onHand: 0, reserved: 0, available: 0, locations: {} }
  return {
    sku: info.sku,
    name: info.name,
    onHand: s.onHand,
    reserved: s.reserved,
    available: s.available,
    reorderThreshold: info.reorderThreshold,
    low: s.available <= info.reorderThreshold,
    locations: s.locations,
  }
}

/** `%search%` for LIKE, with LIKE's own wildcards in the search taken literally. */
const pattern = (search: string) => `%${search.replace(/[\\%_]/g, '\\$&')}%`

/** Live stock for the ordering site, from the Redis cache, with names and the low-stock flag. */
const inventory: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services.database
  const columns = { sku: products.sku, name: products.name, reorderThreshold: products.reorderThreshold }

  app.get(
    '/api/inventory',
    {
      schema: {
        summary: 'Live stock, a page of products in SKU order',
        querystring: InventoryQuerySchema,
        response: { 200: InventoryPageSchema },
      },
    },
    async (request) => {
      const { search, low, after, limit } = request.query
      const site = await readSite(request, request.query.site, app.services.database.db)
      const items: InventoryItem[] = []
      let cursor = after
      const matching = search ? pattern(search) : undefined
      // A low-stock filter is applied after reading the cache, so a page may take a few reads.
      while (items.length < limit) {
        const where: SQL[] = []
        if (cursor) where.push(gt(products.sku, cursor))
        if (search) where.push(or(like(products.sku, matching!), like(products.name, matching!))!)
        const rows = await db
          .select(columns)
          .from(products)
          .where(and(...where))
          .orderBy(asc(products.sku))
          .limit(limit)
        if (rows.length === 0) return { items, next: null }
        const { data } = await app.services.liveCache.snapshot(
          site,
          rows.map((r) => r.sku),
        )
        const stock = new Map(data.map((d) => [d.sku, d]))
        for (const row of rows) {
          const it = item(row, stock.get(row.sku))
          if (!low || it.low) items.push(it)
          cursor = row.sku
          if (items.length === limit) break
        }
        if (rows.length < limit) return { items, next: null }
      }
      return { items, next: cursor ?? null }
    },
  )

  app.get(
    '/api/inventory/:sku',
    {
      schema: {
        summary: 'Live stock of one product, or its on hand at a past time (`at`)',
        params: Type.Object({ sku: SkuSchema }, { additionalProperties: false }),
        querystring: InventoryAtQuerySchema,
        response: { 200: Type.Union([InventoryItemSchema, InventoryAsOfSchema]) },
      },
    },
    async (request) => {
      if (request.query.at !== undefined) return app.ledger.stockAt(request.params.sku, new Date(request.query.at))
      const site = await readSite(request, request.query.site, app.services.database.db)
      const [[info], stock] = await Promise.all([
        db.select(columns).from(products).where(eq(products.sku, request.params.sku)).limit(1),
        app.services.liveCache.read(site, request.params.sku),
      ])
      if (!info) throw new HubError('NOT_FOUND', `no product ${request.params.sku}`)
      return item(info, stock)
    },
  )
}

export default inventory
