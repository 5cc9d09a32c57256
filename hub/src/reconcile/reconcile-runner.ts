import type { Pool } from 'mysql2/promise'
import type { Finding, ReconcileScope, Run, RunSummary } from '@wh/shared'
import type { ReconciliationSummary } from '@wh/shared/live'
import { locations, products as productsTable } from '../db/schema/index.ts'
import { columns, type Aggregate, type Row } from '../db/typed-rows.ts'
import type { Log } from '../log.ts'
import type { StockPublisher } from '../stock/stock-publisher.ts'
import type { CacheCheck } from './cache-check.ts'
import { touchedLevels, type DirtySet } from './dirty-set.ts'
import { checkDeviceSequences, type ProductSlice } from './level-checks.ts'
import { ledgerHorizon } from './ledger-checkpoints.ts'
import { chunksOf } from './chunks.ts'
import type { RunContext } from './level-corrector.ts'
import { createSliceStep, type SliceData } from './slice-step.ts'
import { RunLockedError, type RunTrigger } from './reconcile-queue.ts'
import type { HubMetrics } from '../metrics/hub-metrics.ts'
import type { RunStore, RunTotals } from './run-store.ts'

/** Findings a run's summary keeps (the counts cover all). */
const FINDINGS_KEPT = 50
/** How often a run's row shows its progress while it runs. */
const PROGRESS_EVERY_MS = 1000

/** What a run checked, found and corrected at one site. */
export type SiteFigures = Pick<ReconciliationSummary, 'checked' | 'discrepancies' | 'corrected'>

export interface RunProgress extends RunTotals {
  chunksDone: number
  chunks: number
}

export interface RunOptions {
  scope: ReconcileScope
  dryRun: boolean
  trigger: RunTrigger
  /** A run row made when the run was queued. */
  runId?: number
  onProgress?: (p: RunProgress) => void
}

export interface RunnerDeps {
  pool: Pool
  stock: Pick<StockPublisher, 'levels'>
  cacheCheck: CacheCheck
  dirty: DirtySet
  store: RunStore
  lock: { acquire(): Promise<(() => Promise<void>) | undefined> }
  /** Shows a finished run on the floor screens, each site's figures to its own. */
  announce: (run: Omit<ReconciliationSummary, 'site' | keyof SiteFigures>, bySite: ReadonlyMap<string, SiteFigures>) => Promise<void>
  /** Tells whoever watches the runs (the console) that one started or finished; not told of progress. */
  onRunChange?: () => void
  log: Log
  /** Products per step (a full run walks product ids in ranges of this size). */
  chunk: number
  /** Counts each finished run and its discrepancies (the hub's metrics; a CLI run counts nowhere). */
  metrics?: Pick<HubMetrics, 'reconcileRun'>
}

type RunTally = ReturnType<HubMetrics['reconcileRun']>

/** The steps of a run: product id ranges (full) or the dirty products' ids in groups (incremental). */
async function planSlices(deps: RunnerDeps, scope: ReconcileScope, skus: string[]): Promise<ProductSlice[]> {
  if (scope === 'full') {
    const [[row]] = await deps.pool.query<Aggregate<'lo' | 'hi'>[]>('SELECT MIN(id) AS lo, MAX(id) AS hi FROM products')
    if (row?.lo === null || row?.lo === undefined) return []
    const slices: ProductSlice[] = []
    for (let from = Number(row.lo); from <= Number(row.hi); from += deps.chunk) slices.push({ from, to: from + deps.chunk - 1 })
    return slices
  }
  const touched = touchedLevels(skus)
  const names = [...touched.keys()]
  // Location codes are unique per site only: the levels' locations are found by (site, code).
  const places = new Map(
    [...touched.values()].flatMap((at) =>
      at.filter((l) => l.location !== '*').map((l) => [`${l.site}|${l.location}`, [l.site, l.location]]),
    ),
  )
  const [products, locationIds, horizon] = await Promise.all([
    (async () => {
      const found: [number, string][] = []
      for (const part of chunksOf(names, 5000)) {
        const [rows] = await deps.pool.query<Row<typeof productsTable, 'id' | 'sku'>[]>(
          `SELECT ${columns(productsTable, ['id', 'sku'])} FROM products WHERE sku IN (?)`,
          [part],
        )
        found.push(...rows.map((r): [number, string] => [r.id, r.sku]))
      }
      return found.sort((a, b) => a[0] - b[0])
    })(),
    (async () => {
      const ids = new Map<string, number>()
      for (const part of chunksOf([...places.values()], 5000)) {
        const [rows] = await deps.pool.query<Row<typeof locations, 'id' | 'site' | 'code'>[]>(
          `SELECT ${columns(locations, ['id', 'site', 'code'])} FROM locations WHERE (site, code) IN (?)`,
          [part],
        )
        for (const r of rows) ids.set(`${r.site}|${r.code}`, r.id)
      }
      return ids
    })(),
    ledgerHorizon(deps.pool),
  ])
  return chunksOf(products, deps.chunk).map((part) => {
    const levels = new Map<number, number[]>()
    for (const [id, sku] of part) {
      const at = touched.get(sku)!
      // A '*' member checks the product whole (every level at every site): simpler than per site, and rare.
      if (!at.some((l) => l.location === '*'))
        levels.set(
          id,
          at.flatMap((l) => locationIds.get(`${l.site}|${l.location}`) ?? []),
        )
    }
    return { ids: part.map(([id]) => id), skus: new Map(part), levels, horizon }
  })
}

/**
 * One reconciliation run. What each scope covers:
 * - incremental: the levels in the dirty set, i.e. every level whose stock changed through the
 *   hub (scans, orders, expiry, seeding: all publish to the cache, which marks them) since the
 *   last incremental run, and those products' cache hashes. A change made behind the hub's back
 *   (a hand edit in MySQL or Redis) marks nothing, so it is caught when that level is next
 *   touched, or by the next full run, unless whoever made it marks the product (`DirtySet.mark`).
 * - full: every product, in id ranges, plus a report of devices' deviceSeq gaps.
 * Each step finds drift set-based without locks, corrects each discrepant level in its own short
 * locked transaction, then checks the cache against the corrected database.
 */
export function createReconcileRunner(deps: RunnerDeps) {
  const { pool, store, dirty, log } = deps
  const step = createSliceStep(pool, deps.stock, deps.cacheCheck)

  async function execute(
    ctx: RunContext,
    opts: RunOptions,
    totals: RunTotals,
    summary: RunSummary,
    bySite: Map<string, SiteFigures>,
    tally: RunTally | undefined,
  ) {
    const figuresAt = (site: string) => {
      const figures = bySite.get(site) ?? { checked: 0, discrepancies: 0, corrected: 0 }
      bySite.set(site, figures)
      return figures
    }
    const skus = opts.scope === 'incremental' ? await (opts.dryRun ? dirty.peek() : dirty.take()) : []
    const slices = await planSlices(deps, opts.scope, skus)
    const note = (found: Finding[]) => {
      for (const f of found) {
        if (f.outcome === 'resolved') continue
        totals.discrepancies++
        // Every finding names its site (only runs recorded before sites lack it).
        const site = f.site ? figuresAt(f.site) : undefined
        if (site) site.discrepancies++
        summary.byCheck[f.check] = (summary.byCheck[f.check] ?? 0) + 1
        if (f.outcome === 'corrected') totals.corrections++
        if (f.outcome === 'corrected' && site) site.corrected++
        if (f.outcome === 'needs-admin') summary.needsAdmin++
        if (summary.found.length < FINDINGS_KEPT) summary.found.push(f)
        tally?.found(f)
      }
    }
    // The device report scans the ledger's rows: it runs beside the walk, on its own connection.
    const devices = opts.scope === 'full' ? checkDeviceSequences(pool) : undefined
    devices?.catch(() => undefined)
    // Each slice's reads go out while the one before is corrected and compared (reads take no locks).
    let next: Promise<SliceData> | undefined = slices.length > 0 ? step.load(slices[0]!) : undefined
    let shown = performance.now()
    for (let i = 0; i < slices.length; i++) {
      const data = await next!
      next = i + 1 < slices.length ? step.load(slices[i + 1]!) : undefined
      next?.catch(() => undefined)
      const result = await step.process(data, ctx, opts.dryRun)
      note(result.findings)
      totals.productsChecked += result.products
      for (const [site, n] of result.rows) {
        totals.rowsChecked += n
        figuresAt(site).checked += n
      }
      opts.onProgress?.({ ...totals, chunksDone: i + 1, chunks: slices.length })
      // A long run shows how far it got to whoever reads the run meanwhile (a short one, only its end).
      if (i + 1 < slices.length && performance.now() - shown >= PROGRESS_EVERY_MS) {
        await store.progress(ctx.runId, totals)
        shown = performance.now()
      }
    }
    if (devices) {
      const report = await devices
      summary.devices = { checked: report.checked, withGaps: report.withGaps.length, lastSeqMismatch: report.lastSeqMismatch.length }
      if (report.withGaps.length + report.lastSeqMismatch.length > 0)
        log.warn(report, 'device sequences with gaps or a disagreeing last seq')
    }
  }

  return {
    /** Runs now; throws RunLockedError while another run holds the lock. */
    async run(opts: RunOptions): Promise<Run> {
      const release = await deps.lock.acquire()
      if (!release) throw new RunLockedError()
      const totals: RunTotals = { productsChecked: 0, rowsChecked: 0, discrepancies: 0, corrections: 0 }
      const summary: RunSummary = { byCheck: {}, needsAdmin: 0, found: [] }
      const bySite = new Map<string, SiteFigures>()
      const tally = deps.metrics?.reconcileRun(opts.scope)
      try {
        const runId = opts.runId ?? (await store.create(opts.scope, opts.trigger, opts.dryRun))
        if (opts.runId) await store.start(runId)
        deps.onRunChange?.()
        const ctx: RunContext = { runId, scope: opts.scope, trigger: opts.trigger }
        let error: string | undefined
        try {
          await execute(ctx, opts, totals, summary, bySite, tally)
          if (opts.scope === 'incremental' && !opts.dryRun) await dirty.done()
        } catch (err) {
          error = (err as Error).message
          if (opts.scope === 'incremental' && !opts.dryRun) await dirty.restore().catch(() => undefined)
          log.error({ err: error, runId }, 'reconciliation run failed')
        }
        const run = await store.finish(runId, totals, summary, error)
        deps.onRunChange?.()
        const durationMs = run.durationMs ?? 0
        tally?.finished(run.status)
        await deps.announce(
          {
            at: new Date().toISOString(),
            scope: opts.scope,
            status: run.status === 'failed' ? 'failed' : 'done',
            durationMs,
            ...(opts.dryRun ? { dryRun: true } : {}),
          },
          bySite,
        )
        log.info({ runId, scope: opts.scope, dryRun: opts.dryRun, ...totals, durationMs }, 'reconciliation run finished')
        return run
      } finally {
        await release()
      }
    },
  }
}

export type ReconcileRunner = ReturnType<typeof createReconcileRunner>
