import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { StockCheckRequestSchema, StockCheckResponseSchema } from '@wh/shared'
import { assertSite } from '../api-guard.ts'

/**
 * Can these be served now at this site? Answered from the site's live cache in one Redis call for
 * all lines; its `available` counts only what an order there could reserve, so it says no where
 * the order would be refused. It is advice for the ordering site's page: only `POST /api/orders`
 * holds stock.
 */
const stockCheck: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/stock/check',
    {
      schema: {
        summary: 'Check many lines against the live available stock of a site',
        body: StockCheckRequestSchema,
        response: { 200: StockCheckResponseSchema },
      },
    },
    async (request) => {
      const { site, items } = request.body
      assertSite(request, site)
      const { data } = await app.services.liveCache.snapshot(site, [...new Set(items.map((i) => i.sku))])
      const available = new Map(data.map((d) => [d.sku, d.available]))
      return {
        site,
        items: items.map((i) => {
          const a = available.get(i.sku) ?? 0
          return { sku: i.sku, requested: i.qty, available: a, ok: a >= i.qty }
        }),
      }
    },
  )
}

export default stockCheck
