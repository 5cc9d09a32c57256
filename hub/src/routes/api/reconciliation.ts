import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  ProblemSchema,
  RunIdParamsSchema,
  RunListQuerySchema,
  RunPageSchema,
  RunQuerySchema,
  RunSchema,
  StartRunRequestSchema,
} from '@wh/shared'
import { actorOf } from '../../auth/caller.ts'
import { HubError } from '../../errors.ts'
import { runAtSites } from '../../reconcile/run-store.ts'
import { readableSites } from '../api-guard.ts'

/**
 * A supervisor runs a reconciliation now (or verifies only), and anyone reads the runs' history:
 * a reader limited to sites, or asking for one (`site`), sees only those sites' findings.
 */
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
      const queued = await app.reconciliation.request(request.body.scope, request.body.dryRun ?? false, actorOf(request))
      return reply.code(202).header('location', `/api/reconciliation/runs/${queued.run.id}`).send(queued)
    },
  )

  app.get(
    '/api/reconciliation/runs',
    {
      config: { role: 'viewer' },
      schema: { summary: 'Reconciliation runs, newest first', querystring: RunListQuerySchema, response: { 200: RunPageSchema } },
    },
    async (request) => {
      const page = await app.reconciliation.store.list(request.query.limit, request.query.before, request.query.found)
      const sites = readableSites(request, request.query.site)
      return { ...page, items: page.items.map((run) => runAtSites(run, sites)) }
    },
  )

  app.get(
    '/api/reconciliation/runs/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'One reconciliation run: its counts and the first discrepancies it found',
        params: RunIdParamsSchema,
        querystring: RunQuerySchema,
        response: { 200: RunSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const run = await app.reconciliation.store.get(request.params.id)
      if (!run) throw new HubError('NOT_FOUND', `no reconciliation run ${request.params.id}`)
      return runAtSites(run, readableSites(request, request.query.site))
    },
  )
}

export default reconciliationRoutes
