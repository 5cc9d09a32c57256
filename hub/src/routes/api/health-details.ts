import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthDetailsQuerySchema, HealthDetailsSchema, ProblemSchema } from '@wh/shared'
import { healthDetails, type HealthSources } from '../../ops/health-details.ts'
import { runAtSites } from '../../reconcile/run-store.ts'
import { QUEUE_VIEW_PATH } from '../admin/queues.ts'
import { readinessOf } from '../health.ts'
import { siteOf } from '../api-guard.ts'

/**
 * `GET /api/health/details`: what /ready checks and warns of, and what an operator looks at next — the
 * partitions' backlog, the queues, a site's devices, the last reconciliation — for anyone signed
 * in (the console's health page). /ready stays the probe: public, and up or down only.
 */
const healthDetailsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health/details',
    {
      schema: {
        summary: "The hub's services, backlog, queues, a site's devices and the last reconciliation run",
        tags: ['health'],
        querystring: HealthDetailsQuerySchema,
        response: { 200: HealthDetailsSchema, 400: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const site = siteOf(request, request.query.site)
      const sources: HealthSources = {
        // Stalled partitions named whatever this process's roles: the page is where an operator looks.
        readiness: () => readinessOf(app, true),
        partitionQueues: app.partitionQueues.queues,
        queues: app.ops.queues,
        inbox: app.inbox,
        devices: (at) => app.services.floorState.deviceTiles(at),
        lastRun: async () => {
          const [run] = (await app.reconciliation.store.list(1)).items
          return run && runAtSites(run, [site])
        },
        queueView: QUEUE_VIEW_PATH,
      }
      return healthDetails(sources, site)
    },
  )
}

export default healthDetailsRoutes
