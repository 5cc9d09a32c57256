import fp from 'fastify-plugin'
import { createImportService, type ImportService } from './import-service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    imports: ImportService
  }
}

/** CSV import: any instance can take a file; opening stock then goes to whichever workers drain the partitions. */
export default fp(
  async function imports(app) {
    app.decorate(
      'imports',
      createImportService(app.services.database.pool, { inbox: app.inbox, queues: app.partitionQueues, partitions: app.config.PARTITIONS }),
    )
  },
  { name: 'imports', dependencies: ['services', 'partition'] },
)
