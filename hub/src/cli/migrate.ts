import { openDatabaseServices } from '../services.ts'
import { cliUsage } from './cli-usage.ts'

const USAGE = `npm run migrate
  creates the database MYSQL_URL names if it does not exist and applies the committed migrations
  (hub/migrations/), which also make its text compare exactly (binary collation)`

const config = cliUsage(USAGE, {}).configOrExit()
const target = new URL(config.MYSQL_URL)
console.log(`migrating ${target.host}${target.pathname} ...`)
const services = await openDatabaseServices(config, { poolSize: 1, migrate: true })
console.log('migrations applied')
await services.close()
