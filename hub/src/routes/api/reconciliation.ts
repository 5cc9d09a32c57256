import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ProblemSchema, RunIdParamsSchema, RunListQuerySchema, RunPageSchema, RunSchema, StartRunRequestSchema } from '@wh/shared'
import { HubError } from '../../errors.ts'

/** Admin: run a reconciliation now (or verify only), and read the runs' history. */
const reconciliationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/reconciliation/runs',
    {
      schema: {
        summary: 'Queue a reconciliation run; it starts when no other run is going',
        body: StartRunRequestSchema,
        response: { 202: Type.Object({ run: RunSchema, jobId: Type.String() }), 400: ProblemSchema },
      },
    },
    async (request, reply) => {
      const queued = await app.reconciliation.request(request.body.scope, request.body.dryRun ?? false)
      return reply.code(202).header('location', `/api/reconciliation/runs/${queued.run.id}`).send(queued)
    },
  )

  app.get(
    '/api/reconciliation/runs',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Reconciliation runs, newest first', querystring: RunListQuerySchema, response: { 200: RunPageSchema } },
    },
    async (request) => app.reconciliation.store.list(request.query.limit, request.query.before),
  )

  app.get(
    '/api/reconciliation/runs/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'One reconciliation run: its counts and the first discrepancies it found',
        params: RunIdParamsSchema,
        response: { 200: RunSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const run = await app.reconciliation.store.get(request.params.id)
      if (!run) throw new HubError('NOT_FOUND', `no reconciliation run ${request.params.id}`)
      return run
    },
  )
}

export default reconciliationRoutes
