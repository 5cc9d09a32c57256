import fp from 'fastify-plugin'
import { connectDatabase, ensureDatabase, type Database } from '../../db/connection.ts'
import { runMigrations } from '../../db/migrate.ts'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
  }
}

export default fp(
  async function db(app) {
    const { MYSQL_URL, MYSQL_POOL_SIZE, MIGRATE_ON_START } = app.config
    if (MIGRATE_ON_START) await ensureDatabase(MYSQL_URL)
    const database = connectDatabase(MYSQL_URL, MYSQL_POOL_SIZE)
    app.decorate('database', database)
    app.addHook('onClose', async () => {
      await database.pool.end()
    })
    if (MIGRATE_ON_START) await runMigrations(database, MYSQL_URL)
  },
  { name: 'db', dependencies: ['config'] },
)
