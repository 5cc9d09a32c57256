import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditFilterSchema, AuditPageSchema, AuditQuerySchema, ProblemSchema } from '@wh/shared'
import { createAuditHistory } from '../../ledger/audit-history.ts'
import { HubError } from '../../errors.ts'

/**
 * Supervisors read the audit log (app.ts gives the group that role): who changed what, filtered
 * by entity, action, actor and time, a page at a time or as a CSV file of the same filter.
 */
const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const history = createAuditHistory(app.services.database)
  // The log has no site column (a change to a key or a person is of no one site), so a caller
  // limited to sites would read other sites' changes: only callers of every site read it.
  app.addHook('preHandler', async (request) => {
    if (request.caller?.sites)
      throw new HubError('FORBIDDEN_SITE', 'the audit log spans every site; a caller limited to sites cannot read it')
  })

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
