import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { StockCheckRequestSchema, StockCheckResponseSchema } from '@wh/shared'
import { readSite } from '../api-guard.ts'

/**
 * Can these be served now? Answered from the live cache in one Redis call for all lines. It is
 * advice for the ordering site's page: only `POST /api/orders` holds stock.
 */
const stockCheck: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/stock/check',
    {
      schema: {
        summary: 'Check many lines against live available stock',
        body: StockCheckRequestSchema,
        response: { 200: StockCheckResponseSchema },
      },
    },
    async (request) => {
      const { items } = request.body
      const site = await readSite(request, request.body.site, app.services.database.db)
      const { data } = await app.services.liveCache.snapshot(site, [...new Set(items.map((i) => i.sku))])
      const available = new Map(data.map((d) => [d.sku, d.available]))
      return {
        items: items.map((i) => {
          const a = available.get(i.sku) ?? 0
          return { sku: i.sku, requested: i.qty, available: a, ok: a >= i.qty }
        }),
      }
    },
  )
}

export default stockCheck
