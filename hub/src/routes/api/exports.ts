import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CatalogExportQuerySchema, LedgerExportQuerySchema, LevelsExportQuerySchema } from '@wh/shared'
import { HubError } from '../../errors.ts'
import { exportCatalog, exportLedger, exportLevels } from '../../import/csv-export.ts'
import { assertSite } from '../api-guard.ts'

const CSV = 'text/csv; charset=utf-8'

/** Streamed CSV exports; a key limited to sites gets only those sites' rows. */
const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { pool } = app.services.database

  app.get(
    '/api/exports/catalog.csv',
    {
      schema: {
        summary: 'The catalog as CSV, in the import format of its kind (products by default)',
        tags: ['exports'],
        querystring: CatalogExportQuerySchema,
      },
    },
    async (request, reply) =>
      reply.type(CSV).send(await exportCatalog(pool, request.query.kind ?? 'products', request.caller?.sites ?? null)),
  )

  app.get(
    '/api/exports/levels.csv',
    {
      schema: {
        summary: "A site's stock levels as CSV: on hand, reserved, available",
        tags: ['exports'],
        querystring: LevelsExportQuerySchema,
      },
    },
    async (request, reply) => {
      assertSite(request, request.query.site)
      return reply.type(CSV).send(exportLevels(pool, request.query.site))
    },
  )

  app.get(
    '/api/exports/ledger.csv',
    {
      schema: {
        summary: 'The ledger rows created in [from, to) as CSV, oldest first',
        tags: ['exports'],
        querystring: LedgerExportQuerySchema,
      },
    },
    async (request, reply) => {
      const from = new Date(request.query.from)
      const to = new Date(request.query.to)
      if (!(from < to)) throw new HubError('BAD_REQUEST', 'from must be before to')
      return reply.type(CSV).send(exportLedger(pool, from, to, request.caller?.sites ?? null))
    },
  )
}

export default exportsRoutes
