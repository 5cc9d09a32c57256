import { and, desc, eq, gt, lt, sql } from 'drizzle-orm'
import type { ReconcileScope, Run, RunPage, RunSummary } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { reconciliationRuns } from '../db/schema/index.ts'
import { recordAudit } from '../stock/audit-log.ts'

type Row = typeof reconciliationRuns.$inferSelect

/** The most the summary column holds; the list of findings is cut to fit. */
const SUMMARY_CHARS = 8000

const toRun = (r: Row): Run => ({
  id: r.id,
  scope: r.scope as ReconcileScope,
  trigger: r.trigger,
  dryRun: r.dryRun === 1,
  status: r.status as Run['status'],
  productsChecked: r.productsChecked,
  rowsChecked: r.rowsChecked,
  discrepancies: r.discrepancies,
  corrections: r.corrections,
  summary: r.summary ? (JSON.parse(r.summary) as RunSummary) : null,
  error: r.error,
  startedAt: r.startedAt.toISOString(),
  durationMs: r.durationMs,
})

export function fitSummary(summary: RunSummary): string {
  let text = JSON.stringify(summary)
  const found = [...summary.found]
  while (text.length > SUMMARY_CHARS && found.length > 0) {
    found.splice(Math.ceil(found.length / 2))
    text = JSON.stringify({ ...summary, found })
  }
  return text
}

export interface RunTotals {
  productsChecked: number
  rowsChecked: number
  discrepancies: number
  corrections: number
}

/** The `reconciliation_runs` rows: one per run, queued by the API or made when a run starts. */
export function createRunStore(db: Db) {
  const get = async (id: number) => {
    const [row] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id))
    return row ? toRun(row) : undefined
  }
  return {
    get,
    /** A run that starts now (the schedulers' and the CLI's). */
    async create(scope: ReconcileScope, trigger: string, dryRun: boolean) {
      const [result] = await db.insert(reconciliationRuns).values({ scope, trigger, dryRun: dryRun ? 1 : 0, status: 'running' })
      return Number(result.insertId)
    },
    /** A run someone asked for, queued, and who asked in the audit log: a real run's corrections follow from it. */
    async request(scope: ReconcileScope, dryRun: boolean, actor: string) {
      return db.transaction(async (tx) => {
        const [result] = await tx.insert(reconciliationRuns).values({ scope, trigger: 'api', dryRun: dryRun ? 1 : 0, status: 'queued' })
        const id = Number(result.insertId)
        await recordAudit(tx, [
          { entity: 'reconciliation_run', entityId: String(id), action: 'request', actor, after: { scope, dryRun, status: 'queued' } },
        ])
        return id
      })
    },
    /** A queued run begins now. */
    async start(id: number) {
      await db
        .update(reconciliationRuns)
        .set({ status: 'running', startedAt: sql`CURRENT_TIMESTAMP(3)` })
        .where(eq(reconciliationRuns.id, id))
    },
    async progress(id: number, totals: RunTotals) {
      await db.update(reconciliationRuns).set(totals).where(eq(reconciliationRuns.id, id))
    },
    /** Ends a run; its duration is taken on the database's clock, like its start, so runs' intervals compare exactly. */
    async finish(id: number, totals: RunTotals, summary: RunSummary, error?: string) {
      await db
        .update(reconciliationRuns)
        .set({
          ...totals,
          summary: fitSummary(summary),
          durationMs: sql`TIMESTAMPDIFF(MICROSECOND, ${reconciliationRuns.startedAt}, CURRENT_TIMESTAMP(3)) DIV 1000`,
          status: error ? 'failed' : 'done',
          error: error?.slice(0, 500) ?? null,
        })
        .where(eq(reconciliationRuns.id, id))
      return (await get(id))!
    },
    /** Newest first; `before` pages on to older runs; `found` keeps only those that found a discrepancy. */
    async list(limit: number, before?: number, found = false): Promise<RunPage> {
      const rows = await db
        .select()
        .from(reconciliationRuns)
        .where(and(before ? lt(reconciliationRuns.id, before) : undefined, found ? gt(reconciliationRuns.discrepancies, 0) : undefined))
        .orderBy(desc(reconciliationRuns.id))
        .limit(limit + 1)
      const items = rows.slice(0, limit).map(toRun)
      return { items, next: rows.length > limit ? items.at(-1)!.id : null }
    },
  }
}

export type RunStore = ReturnType<typeof createRunStore>

/** The run as a reader limited to `sites` may see it: only those sites' findings (its counts stay the whole run's). */
export function runAtSites(run: Run, sites: readonly string[] | undefined): Run {
  if (!sites || !run.summary) return run
  return { ...run, summary: { ...run.summary, found: run.summary.found.filter((f) => !f.site || sites.includes(f.site)) } }
}
