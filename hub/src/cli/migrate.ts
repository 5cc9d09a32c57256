import { loadConfig } from '../config.ts'
import { connectDatabase, ensureDatabase } from '../db/connection.ts'
import { runMigrations } from '../db/migrate.ts'

// `npm run migrate`: creates the database if needed and applies the committed migrations.
const config = loadConfig()
const target = new URL(config.MYSQL_URL)
console.log(`migrating ${target.host}${target.pathname} ...`)
await ensureDatabase(config.MYSQL_URL)
const database = connectDatabase(config.MYSQL_URL, 1)
try {
  await runMigrations(database, config.MYSQL_URL)
  console.log('migrations applied')
} finally {
  await database.pool.end()
}
