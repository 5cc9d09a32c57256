import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { HistoryPageSchema, HistoryQuerySchema, ProblemSchema, SkuSchema } from '@wh/shared'
import { readableSites } from '../api-guard.ts'

/**
 * A product's ledger, newest first, at the sites the key may read (or the one named); stock as of
 * a time is `GET /api/inventory/:sku?at=`.
 */
const inventoryHistory: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/inventory/:sku/history',
    {
      schema: {
        summary: "A product's movements, newest first, paged by id; each names its site",
        params: Type.Object({ sku: SkuSchema }, { additionalProperties: false }),
        querystring: HistoryQuerySchema,
        response: { 200: HistoryPageSchema, 404: ProblemSchema },
      },
    },
    async (request) => app.ledger.history(request.params.sku, request.query, readableSites(request, request.query.site)),
  )
}

export default inventoryHistory
