import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditFilterSchema, AuditPageSchema, AuditQuerySchema, ProblemSchema } from '@wh/shared'
import { createAuditHistory } from '../../ledger/audit-history.ts'

/**
 * Supervisors read the audit log (app.ts gives the group that role): who changed what, filtered
 * by entity, action, actor and time, a page at a time or as a CSV file of the same filter.
 */
const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const history = createAuditHistory(app.services.database)

  app.get(
    '/api/audit',
    {
      schema: {
        summary: 'Audit log entries, newest first, paged by id',
        tags: ['audit'],
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const { limit, before, ...filter } = request.query
      return history.page(filter, limit, before)
    },
  )

  app.get(
    '/api/audit.csv',
    {
      schema: {
        summary: 'The audit log entries of a filter as CSV, newest first',
        tags: ['audit', 'exports'],
        querystring: AuditFilterSchema,
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-log.csv"')
        .send(history.csv(request.query)),
  )
}

export default auditRoutes
