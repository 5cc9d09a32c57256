import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { actorOf } from '../../auth/caller.ts'
import {
  ProblemSchema,
  ApproveHeldSchema,
  HeldDecisionSchema,
  HeldEventPageSchema,
  HeldEventQuerySchema,
  HeldEventSchema,
  HeldParamsSchema,
  RejectHeldSchema,
  type HeldDecision,
} from '@wh/shared'

const decided = ({ held, onHand, available }: HeldDecision): HeldDecision => ({ held, onHand, available })

/** Admin: the held events, and approving (applying) or rejecting each one. */
const heldEvents: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/held-events',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Held events, newest first', querystring: HeldEventQuerySchema, response: { 200: HeldEventPageSchema } },
    },
    async (request) => app.held.repository.list(request.query),
  )

  app.get(
    '/api/held-events/:id',
    {
      config: { role: 'viewer' },
      schema: { summary: 'One held event', params: HeldParamsSchema, response: { 200: HeldEventSchema, 404: ProblemSchema } },
    },
    async (request) => app.held.repository.get(request.params.id),
  )

  app.post(
    '/api/held-events/:id/approve',
    {
      schema: {
        summary: 'Apply a held event, optionally after a count of the location or with another quantity',
        params: HeldParamsSchema,
        body: ApproveHeldSchema,
        response: { 200: HeldDecisionSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => decided(await app.held.approve(request.params.id, { ...request.body, actor: actorOf(request) })),
  )

  app.post(
    '/api/held-events/:id/reject',
    {
      schema: {
        summary: 'Reject a held event: nothing is applied, and its device is told',
        params: HeldParamsSchema,
        body: RejectHeldSchema,
        response: { 200: HeldDecisionSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => decided(await app.held.reject(request.params.id, { ...request.body, actor: actorOf(request) })),
  )
}

export default heldEvents
