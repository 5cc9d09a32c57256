import { parseArgs } from 'node:util'
import { createClient } from 'redis'
import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connection.ts'
import { checkInvariants, formatReport } from '../invariants/check-invariants.ts'
import { createLiveCache } from '../live/live-cache.ts'

/**
 * `npm run check-invariants -- [--settle-ms N] [--json]`: checks the invariants of docs/reliability.md
 * that the database, Redis and the queues can show (I1, I2, I3's ledger side, I6, I7) against the
 * deployment the usual settings name (MYSQL_URL, REDIS_URL, REDIS_PREFIX). Read only. Exit code 0
 * when all hold, 1 on a violation, 2 when it could not check.
 */
const { values: args } = parseArgs({
  options: { 'settle-ms': { type: 'string', default: '2000' }, json: { type: 'boolean', default: false } },
})
const config = loadConfig()
const database = connectDatabase(config.MYSQL_URL, 2)
const redis = createClient({ url: config.REDIS_URL })
redis.on('error', () => undefined) // a failed command reports it
let code = 2
try {
  await redis.connect()
  const report = await checkInvariants(
    { pool: database.pool, redis, cache: createLiveCache(redis, config.REDIS_PREFIX, config.STREAM_MAXLEN), prefix: config.REDIS_PREFIX },
    Number(args['settle-ms']),
  )
  console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report))
  code = report.ok ? 0 : 1
} catch (err) {
  console.error(`could not check: ${(err as Error).message}`)
} finally {
  await database.pool.end()
  if (redis.isOpen) await redis.close()
}
process.exit(code)
