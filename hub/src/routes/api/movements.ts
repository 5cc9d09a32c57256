import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { actorOf } from '../../auth/caller.ts'
import { ProblemSchema, MovementIdParamsSchema, VoidRefusalSchema, VoidRequestSchema, VoidResultSchema } from '@wh/shared'

/** Admin corrections of the ledger. */
const movements: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/movements/:id/void',
    {
      schema: {
        summary: 'Void a movement: compensating ledger rows, levels and lots given back, audited',
        description:
          'Writes a `void` movement for each leg (both legs of a move, whichever is named); the original stays in the ledger. ' +
          'Refused with 409 if the movement is a void, is already voided, or its stock (at a level or in a lot) is no longer there.',
        tags: ['admin'],
        params: MovementIdParamsSchema,
        body: VoidRequestSchema,
        response: { 201: VoidResultSchema, 404: ProblemSchema, 409: VoidRefusalSchema },
      },
    },
    async (request, reply) => {
      const result = await app.ledger.voidMovement(request.params.id, request.body.reason, actorOf(request))
      return reply.code(201).send(result)
    },
  )
}

export default movements
