import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { actorOf } from '../../auth/caller.ts'
import Type from 'typebox'
import { ImportParamsSchema, ImportQuerySchema, ImportRefusalSchema, ImportReportSchema, ProblemSchema } from '@wh/shared'
import { HubError } from '../../errors.ts'
import { refusal } from '../../import/import-service.ts'

/** Largest CSV body an import takes: a million opening stock rows are about 50 MB. */
const IMPORT_BODY_LIMIT = 128 << 20

/** CSV import of the catalog and opening stock (admin): a dry run, an apply, its progress. */
const imports: FastifyPluginAsyncTypebox = async (app) => {
  // Only here: the body of an import is the CSV file itself, read as bytes (its encoding is checked line by line).
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body))

  app.post(
    '/api/imports',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        summary: 'Import a CSV file of sites, locations, products, GTINs or opening stock',
        description:
          'The body is the file (`Content-Type: text/csv`), formats in docs/setup-warehouse.md. With `dryRun=true` the file is ' +
          'only checked. A file with any problem is refused whole (422 IMPORT_REFUSED, every problem by line and column) and ' +
          'nothing is written. Catalog files are applied at once (200); opening stock is queued as count events through the ' +
          'partitions (202, `Location` is its progress).',
        tags: ['admin'],
        querystring: ImportQuerySchema,
        consumes: ['text/csv'],
        // The file's bytes: checked by the import, line by line, not by a JSON schema.
        body: Type.Unknown({ description: 'The CSV file' }),
        response: { 200: ImportReportSchema, 202: ImportReportSchema, 422: ImportRefusalSchema, 415: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { kind, dryRun } = request.query
      if (!Buffer.isBuffer(request.body)) throw new HubError('UNSUPPORTED_MEDIA_TYPE', 'send the file as text/csv')
      const files = [{ kind, data: request.body }]
      if (dryRun) {
        const { problems, reports } = await app.imports.dryRun(files)
        if (problems.length > 0) throw refusal(problems)
        return reports[0]!
      }
      const [report] = await app.imports.apply(files, { actor: actorOf(request) })
      if (report!.status === 'applied') return report!
      return reply.code(202).header('location', `/api/imports/${report!.id}`).send(report!)
    },
  )

  app.get(
    '/api/imports/:id',
    {
      schema: {
        summary: "An import's progress: for opening stock, how many rows the partitions have applied",
        tags: ['admin'],
        params: ImportParamsSchema,
        response: { 200: ImportReportSchema, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => {
      const report = await app.imports.progress(request.params.id)
      if (!report) throw new HubError('NOT_FOUND', `import ${request.params.id}`)
      return report
    },
  )
}

export default imports
