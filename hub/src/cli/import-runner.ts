import { SingleBar } from 'cli-progress'
import type { ImportProblem, ImportReport } from '@wh/shared'
import Fastify from 'fastify'
import acks from '../acks/plugin.ts'
import apply from '../apply/plugin.ts'
import { loadConfig, type Env } from '../config.ts'
import consoleChanges from '../live/console-plugin.ts'
import partition from '../partition/plugin.ts'
import configPlugin from '../plugins/infra/config.ts'
import metrics from '../plugins/infra/metrics.ts'
import mqtt from '../plugins/infra/mqtt.ts'
import services from '../plugins/infra/services.ts'
import { HubError } from '../errors.ts'
import type { ImportFile } from '../import/import-check.ts'
import { createImportService, type ImportService } from '../import/import-service.ts'

const num = (n: number) => n.toLocaleString('en-US')

/**
 * The batch of this process's own drains. Each batch is one transaction with a durable commit and
 * two round trips, which at the hub's default (200, sized for scan latency) cost more than the
 * rows: an import applies a million rows in about half the time at 2,000 (docs/benchmark.md). The
 * hub's own workers keep their setting, so scans elsewhere wait for no larger batch than before.
 */
const IMPORT_BATCH_MAX = 2000

/**
 * A process that drains the partitions and nothing else (no ingest, no routes, no other queues'
 * jobs or schedules): the import's own worker, as one more beside any running hub (each partition
 * runs one drain at a time across all of them), so an import ends with its stock in even when no
 * hub runs yet (`npm run seed`).
 */
export async function openImportWorker(overrides: Partial<Env> = {}) {
  const config = loadConfig(undefined, { MIGRATE_ON_START: false, ...overrides, HUB_ROLES: 'worker', BATCH_MAX: IMPORT_BATCH_MAX })
  const app = Fastify({ logger: { level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL } })
  await app.register(configPlugin, { config })
  await app.register(services, {})
  for (const plugin of [metrics, mqtt, partition, acks, consoleChanges, apply]) await app.register(plugin)
  await app.ready()
  const service = createImportService(app.services.database.pool, {
    inbox: app.inbox,
    queues: app.partitionQueues,
    partitions: config.PARTITIONS,
  })
  return { app, service }
}

/** Runs `work` with an import service whose stock this process applies itself (see `openImportWorker`). */
export async function withImporter<T>(work: (service: ImportService) => Promise<T>): Promise<T> {
  const { app, service } = await openImportWorker()
  try {
    return await work(service)
  } finally {
    await app.close()
  }
}

/** A problem as a line a user can act on: `stock:12 qty INVALID_FIELD must be >= 0`. */
const problemLine = (p: ImportProblem) => `  ${p.kind}:${p.line}${p.column ? ` ${p.column}` : ''} ${p.code} ${p.reason}`

/** The problems of a refused import; `total` when the refusal listed only the first ones. */
function printProblems(problems: readonly ImportProblem[], total = problems.length) {
  console.error(`refused: ${num(total)} problem${total === 1 ? '' : 's'}, nothing was written`)
  for (const p of problems.slice(0, 1000)) console.error(problemLine(p))
  if (total > 1000) console.error(`  ... and ${num(total - 1000)} more`)
}

/** A dry run's problems, or an apply with a progress bar for its opening stock; false when refused. */
export async function runImport(
  service: ImportService,
  files: ImportFile[],
  options: { dryRun: boolean; actor: string },
): Promise<boolean> {
  const started = Date.now()
  if (options.dryRun) {
    const { problems, reports } = await service.dryRun(files)
    if (problems.length > 0) {
      printProblems(problems)
      return false
    }
    for (const r of reports) console.log(`${r.kind}: ${num(r.rows)} rows, no problems (dry run: nothing written)`)
    return true
  }
  const bar = new SingleBar({
    format: '{phase} |{bar}| {value}/{total} rows | {rate} rows/s | {duration_formatted}',
    stream: process.stderr,
    hideCursor: true,
  })
  // Queued and applied overlap: the bar shows the queueing, then the rows applied until the last.
  let queueing = false
  let reports: ImportReport[]
  try {
    reports = await service.apply(files, {
      actor: options.actor,
      onQueued: (queued, total) => {
        if (!queueing) bar.start(total, 0, { phase: 'queued ', rate: 0 })
        queueing = true
        bar.update(queued)
      },
    })
  } catch (err) {
    bar.stop()
    if (err instanceof HubError && err.code === 'IMPORT_REFUSED') {
      printProblems(err.details as ImportProblem[], Number.parseInt(err.detail ?? '', 10) || undefined)
      return false
    }
    throw err
  }
  for (const r of reports) {
    if (r.kind !== 'stock') {
      console.log(`${r.kind}: ${num(r.rows)} rows applied (import ${r.id})`)
      continue
    }
    const begun = Date.now()
    if (!queueing) bar.start(r.rows, 0, { phase: 'applied', rate: 0 })
    const done = await service.waitApplied(r.id, (applied) => {
      const rate = num(Math.round((applied * 1000) / Math.max(1, Date.now() - begun)))
      bar.update(applied, { phase: 'applied', rate })
    })
    bar.stop()
    const held = done.held ? `; ${num(done.held)} held for an admin (GET /api/held-events)` : ''
    console.log(`stock: ${num(done.rows)} rows through the partitions as counts (import ${r.id})${held}`)
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return true
}
