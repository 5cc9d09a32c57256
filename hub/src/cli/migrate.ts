import { loadConfig } from '../config.ts'
import { openDatabaseServices } from '../services.ts'

// `npm run migrate`: creates the database if needed and applies the committed migrations.
const config = loadConfig()
const target = new URL(config.MYSQL_URL)
console.log(`migrating ${target.host}${target.pathname} ...`)
const services = await openDatabaseServices(config, { poolSize: 1, migrate: true })
console.log('migrations applied')
await services.close()
