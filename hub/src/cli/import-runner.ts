import { SingleBar } from 'cli-progress'
import type { ImportProblem, ImportReport } from '@wh/shared'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
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
export const IMPORT_BATCH_MAX = 2000

/**
 * Runs `work` with an import service backed by an in-process worker: the CLI drains the
 * partitions its opening stock goes to, as one more worker beside any running hub (each
 * partition runs one drain at a time across all of them), so an import ends with its stock in
 * even when no hub runs yet (`npm run seed`).
 */
export async function withImporter<T>(work: (service: ImportService) => Promise<T>): Promise<T> {
  const config = loadConfig(undefined, { HUB_ROLES: 'worker', MIGRATE_ON_START: false, BATCH_MAX: IMPORT_BATCH_MAX })
  const app = await buildApp(config, { logger: { level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL } })
  try {
    return await work(
      createImportService(app.services.database.pool, { inbox: app.inbox, queues: app.partitionQueues, partitions: config.PARTITIONS }),
    )
  } finally {
    await app.close()
  }
}

/** A problem as a line a user can act on: `stock:12 qty INVALID_FIELD must be >= 0`. */
export const problemLine = (p: ImportProblem) => `  ${p.kind}:${p.line}${p.column ? ` ${p.column}` : ''} ${p.code} ${p.reason}`

export function printProblems(problems: readonly ImportProblem[]) {
  console.error(`refused: ${num(problems.length)} problems, nothing was written`)
  for (const p of problems.slice(0, 1000)) console.error(problemLine(p))
  if (problems.length > 1000) console.error(`  ... and ${num(problems.length - 1000)} more`)
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
  const stockRows = { value: 0 }
  let reports: ImportReport[]
  try {
    reports = await service.apply(files, {
      actor: options.actor,
      onQueued: (n) => {
        if (stockRows.value === 0) bar.start(0, 0, { phase: 'queued ', rate: 0 })
        stockRows.value = n
        bar.setTotal(n)
      },
    })
  } catch (err) {
    bar.stop()
    if (err instanceof HubError && err.code === 'IMPORT_REFUSED') {
      printProblems(err.details as ImportProblem[])
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
    if (stockRows.value === 0) bar.start(r.rows, 0, { phase: 'applied', rate: 0 })
    const done = await service.waitApplied(
      r.id,
      (applied, rows) =>
        bar.update(applied, { phase: 'applied', rate: num(Math.round((applied * 1000) / Math.max(1, Date.now() - begun))) }) ??
        bar.setTotal(rows),
    )
    bar.stop()
    console.log(`stock: ${num(done.rows)} rows applied as counts through the partitions (import ${r.id})`)
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return true
}
