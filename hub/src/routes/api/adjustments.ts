import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AdjustmentRequestSchema, AdjustmentSchema, ProblemSchema } from '@wh/shared'
import { actorOf } from '../../auth/caller.ts'
import { assertSite } from '../api-guard.ts'

/** 201 when it became a movement, 200 when it was settled without one (held or rejected), 202 while queued. */
const STATUS = { applied: 201, held: 200, rejected: 200, pending: 202 } as const

/** Supervisors' office adjustments: stock changes made at a desk, applied as a scan's are. */
const adjustments: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/adjustments',
    {
      schema: {
        summary: 'Set or change the stock of a product at a location (and lot), with a reason; a movement like any other',
        description:
          "Queued into the product's partition like a scan and applied by the same stock core, in order with its scans; " +
          'answered once applied (201, with the movement), or held for a decision like a scan would be (200, `held`), ' +
          'or still queued after a few seconds (202, `pending`: send the same request again to learn the outcome). ' +
          'A retry with the same `id` and body gets the first answer; the person making it is audited with the reason.',
        body: AdjustmentRequestSchema,
        response: {
          200: AdjustmentSchema,
          201: AdjustmentSchema,
          202: AdjustmentSchema,
          400: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      assertSite(request, request.body.site)
      const adjustment = await app.ledger.adjust(request.body, actorOf(request))
      if (adjustment.status === 'pending') reply.header('retry-after', '1')
      return reply.code(STATUS[adjustment.status]).send(adjustment)
    },
  )
}

export default adjustments
