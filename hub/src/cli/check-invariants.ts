import { wholeNumber } from '@wh/shared/cli'
import { checkInvariants, formatReport } from '../invariants/check-invariants.ts'
import { openServices, type Services } from '../services.ts'
import { cliLog, cliUsage } from './cli-usage.ts'

const USAGE = `npm run check-invariants -- [--settle-ms N] [--json]
  checks the invariants of docs/reliability.md that the database, Redis and the queues can show
  (I1, I2, I3's ledger side, I6, I7) against the deployment the settings name (MYSQL_URL,
  REDIS_URL, REDIS_PREFIX). Read only.
  --settle-ms N   how long a violation must last to count, since the cache and queues trail
                  the commits (default 2000)
  --json          print the report as JSON

Exit code 0 when all hold, 1 on a violation, 2 when it could not check.`

const {
  values: args,
  fail,
  configOrExit,
} = cliUsage(USAGE, { 'settle-ms': { type: 'string', default: '2000' }, json: { type: 'boolean', default: false } })
const settleMs = wholeNumber(fail, 'settle-ms', args['settle-ms'])
const config = configOrExit()
let services: Services | undefined
let code = 2
try {
  services = await openServices(config, cliLog(config), { poolSize: 2, migrate: false })
  const report = await checkInvariants(
    { pool: services.database.pool, redis: services.redis, cache: services.liveCache, prefix: config.REDIS_PREFIX },
    settleMs,
  )
  console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report))
  code = report.ok ? 0 : 1
} catch (err) {
  console.error(`could not check: ${(err as Error).message}`)
} finally {
  await services?.close()
}
process.exit(code)
