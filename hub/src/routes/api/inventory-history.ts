import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { HistoryPageSchema, HistoryQuerySchema, LotStockQuerySchema, LotStockSchema, ProblemSchema, SkuSchema } from '@wh/shared'
import { readableSites, siteOf } from '../api-guard.ts'

const params = Type.Object({ sku: SkuSchema }, { additionalProperties: false })

/**
 * A product's ledger, newest first, at the sites the key may read (or the one named), and its
 * lots at a site now; stock as of a time is `GET /api/inventory/:sku?at=`.
 */
const inventoryHistory: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/inventory/:sku/history',
    {
      schema: {
        summary: "A product's movements, newest first, paged by id; each names its site and who made it",
        params,
        querystring: HistoryQuerySchema,
        response: { 200: HistoryPageSchema, 404: ProblemSchema },
      },
    },
    async (request) => app.ledger.history(request.params.sku, request.query, readableSites(request, request.query.site)),
  )

  app.get(
    '/api/inventory/:sku/lots',
    {
      schema: {
        summary: "A product's lots holding stock at a site now, by location, with expiry dates, in the order picks take them",
        params,
        querystring: LotStockQuerySchema,
        response: { 200: LotStockSchema, 404: ProblemSchema },
      },
    },
    async (request) => app.ledger.lotsAt(siteOf(request, request.query.site), request.params.sku),
  )
}

export default inventoryHistory
