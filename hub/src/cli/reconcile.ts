import { RunLockedError } from '../reconcile/reconcile-queue.ts'
import type { RunProgress } from '../reconcile/reconcile-runner.ts'
import { createReconciler, RUN_CONNECTIONS } from '../reconcile/reconciler.ts'
import { openServices } from '../services.ts'
import { cliLog, cliUsage } from './cli-usage.ts'

const USAGE = `npm run reconcile -- [--full] [--dry-run]
  one reconciliation run now, against the database and Redis the settings name (MYSQL_URL,
  REDIS_URL, REDIS_PREFIX): a progress bar on stderr, the run's summary on stdout. It takes
  the lock the hub's own runs take, so it never overlaps one.
  --full      every product (default: those whose stock changed since the last run)
  --dry-run   find and report the drift, correct nothing

Exit code 0 when the books balance (or were corrected), 2 when something needs an admin or a
dry run found drift, 1 on failure.`

const { values: args, configOrExit } = cliUsage(USAGE, {
  full: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
})
const config = configOrExit()
const log = cliLog(config)
const services = await openServices(config, log, { poolSize: RUN_CONNECTIONS, migrate: false })
const { runner } = createReconciler({
  database: services.database,
  redis: services.redis,
  cache: services.liveCache,
  stock: services.stock,
  prefix: config.REDIS_PREFIX,
  chunk: config.RECONCILE_CHUNK,
  log,
})

const num = (n: number) => n.toLocaleString('en-US')
const WIDTH = 30
function drawProgress(p: RunProgress) {
  const done = Math.round((p.chunksDone / Math.max(p.chunks, 1)) * WIDTH)
  const line = `[${'#'.repeat(done)}${'.'.repeat(WIDTH - done)}] ${p.chunksDone}/${p.chunks} steps, ${num(p.rowsChecked)} levels checked, ${num(p.discrepancies)} discrepancies, ${num(p.corrections)} corrected`
  if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K`)
  else if (p.chunksDone === p.chunks || p.chunksDone % Math.max(1, Math.floor(p.chunks / 10)) === 0) process.stderr.write(`${line}\n`)
}

let code = 0
try {
  const scope = args.full ? 'full' : 'incremental'
  const dryRun = args['dry-run']
  process.stderr.write(`reconciliation: ${scope}${dryRun ? ', dry run (nothing is changed)' : ''}\n`)
  const run = await runner.run({ scope, dryRun, trigger: 'cli', onProgress: drawProgress })
  if (process.stderr.isTTY) process.stderr.write('\n')
  const s = run.summary
  console.log(
    [
      `run ${run.id} ${run.status} in ${num(run.durationMs ?? 0)} ms: ${num(run.productsChecked)} products, ${num(run.rowsChecked)} stock levels checked`,
      `discrepancies: ${num(run.discrepancies)} (${
        Object.entries(s?.byCheck ?? {})
          .map(([check, n]) => `${check} ${n}`)
          .join(', ') || 'none'
      }), corrected: ${num(run.corrections)}, needing an admin: ${s?.needsAdmin ?? 0}`,
      ...(s?.devices
        ? [
            `devices: ${s.devices.checked} checked, ${s.devices.withGaps} with seq gaps, ${s.devices.lastSeqMismatch} with a disagreeing last seq`,
          ]
        : []),
      ...(s?.found ?? []).map(
        (f) =>
          `  ${f.outcome.padEnd(11)} ${f.check.padEnd(8)} ${f.sku}${f.location ? ` @ ${f.location}` : ''}: ${f.found} -> ${f.expected}`,
      ),
      ...(run.error ? [`error: ${run.error}`] : []),
    ].join('\n'),
  )
  if (run.status === 'failed') code = 1
  else if ((s?.needsAdmin ?? 0) > 0 || (dryRun && run.discrepancies > 0)) code = 2
} catch (err) {
  console.error(err instanceof RunLockedError ? `${err.message}; try again when it has finished` : err)
  code = 1
} finally {
  await services.close()
}
process.exit(code)
