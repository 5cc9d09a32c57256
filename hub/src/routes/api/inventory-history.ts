import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { HistoryPageSchema, HistoryQuerySchema, ProblemSchema, SkuSchema } from '@wh/shared'

/** A product's ledger, newest first; stock as of a time is `GET /api/inventory/:sku?at=`. */
const inventoryHistory: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/inventory/:sku/history',
    {
      schema: {
        summary: "A product's movements, newest first, paged by id",
        params: Type.Object({ sku: SkuSchema }, { additionalProperties: false }),
        querystring: HistoryQuerySchema,
        response: { 200: HistoryPageSchema, 404: ProblemSchema },
      },
    },
    async (request) => app.ledger.history(request.params.sku, request.query),
  )
}

export default inventoryHistory
