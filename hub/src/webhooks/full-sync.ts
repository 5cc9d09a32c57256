import { createHash } from 'node:crypto'
import type { SyncRun } from '@wh/shared'
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise'
import { getTableColumns } from 'drizzle-orm'
import { products, syncRuns, webhookSubscriptions } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import { columns, type Aggregate, type Row } from '../db/typed-rows.ts'
import { auditStatement } from '../stock/audit-log.ts'
import type { ChangeLog } from '../stock/change-log.ts'
import { readSiteTotals } from './site-totals.ts'
import { chunkItems, type StockItem } from './stock-fanout-items.ts'
import { insertMessages, lockFanoutCursor, stockSubscriptions, type NewMessage } from './stock-fanout-store.ts'
import type { Nudge } from './stock-fanout.ts'

/** Why a full sync ran: a product added or deactivated, the periodic fallback, or asked for. */
export type SyncReason = 'changed' | 'fallback' | 'forced'

type SyncRunRow = typeof syncRuns.$inferSelect

/** A run row as the API shows it. */
const toRun = (r: SyncRunRow): SyncRun => ({
  ...r,
  reason: r.reason as SyncReason,
  skipped: Boolean(r.skipped),
  throughSeq: Number(r.throughSeq),
  startedAt: new Date(r.startedAt).toISOString(),
  finishedAt: r.finishedAt && new Date(r.finishedAt).toISOString(),
})

const RUN_COLUMNS = Object.keys(getTableColumns(syncRuns)) as (keyof SyncRunRow & string)[]

/** The catalog a site's full sync lists: a hash of its active SKUs (any product added or deactivated changes it). */
async function catalogVersion(conn: PoolConnection): Promise<{ version: string; skus: number }> {
  const [rows] = await conn.query<Row<typeof products, 'sku'>[]>('SELECT sku FROM products WHERE active = 1 ORDER BY sku')
  const hash = createHash('sha256')
  for (const r of rows) hash.update(`${r.sku}\n`)
  return { version: hash.digest('hex'), skus: rows.length }
}

/** Whether the site's last run saw the same change seq and catalog, and no stock subscription came since. */
async function unchangedSince(conn: PoolConnection, site: string, throughSeq: number, version: string): Promise<boolean> {
  const [[last]] = await conn.query<Row<typeof syncRuns, 'throughSeq' | 'catalogVersion' | 'startedAt'>[]>(
    `SELECT ${columns(syncRuns, ['throughSeq', 'catalogVersion', 'startedAt'])} FROM sync_runs WHERE site = ? ORDER BY id DESC LIMIT 1`,
    [site],
  )
  if (!last || Number(last.throughSeq) !== throughSeq || last.catalogVersion !== version) return false
  const [[added]] = await conn.query<Aggregate<'n'>[]>(
    `SELECT COUNT(*) AS n FROM webhook_subscriptions
      WHERE site = ? AND status <> 'deleted' AND JSON_CONTAINS(events, '"stock"') AND created_at >= ?`,
    [site, last.startedAt],
  )
  return Number(added?.n ?? 0) === 0
}

/**
 * Full syncs: every active SKU of a site, its site totals, to each of the site's stock
 * subscriptions as `stock.synced` messages (≤ 500 items each), logged in sync_runs. A run that is
 * not forced is skipped (and logged so) when nothing changed since the site's last run. It holds
 * the fan-out cursor's lock, so its messages sit between the fan-out's in seq order: every item
 * carries the cursor's seq (its figures include every change up to it), and every `stock.changed`
 * after it carries a higher one.
 */
export function createFullSync(deps: { pool: Pool; changeLog: Pick<ChangeLog, 'latest'>; nudge: Nudge }) {
  async function run(site: string, reason: SyncReason, requestedBy: string, conn: PoolConnection) {
    const seq = await lockFanoutCursor(conn)
    const subscriptions = await stockSubscriptions(conn, [site])
    const throughSeq = await deps.changeLog.latest(site)
    const catalog = await catalogVersion(conn)
    const skipped = reason !== 'forced' && (await unchangedSince(conn, site, throughSeq, catalog.version))
    const [inserted] = await conn.query<ResultSetHeader>(
      'INSERT INTO sync_runs (site, reason, skipped, subscriptions, through_seq, catalog_version, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [site, reason, skipped, subscriptions.length, throughSeq, catalog.version, requestedBy],
    )
    const runId = inserted.insertId
    const messages: NewMessage[] = []
    let skus = 0
    if (!skipped && subscriptions.length > 0) {
      const items = (await readSiteTotals(conn, site)).map((t): StockItem => ({ ...t, seq }))
      skus = items.length
      for (const sub of subscriptions) {
        const chunks = chunkItems(items.filter((i) => !sub.skus || sub.skus.has(i.sku)))
        chunks.forEach((chunk, i) =>
          messages.push({
            subscriptionId: sub.id,
            type: 'stock.synced',
            seq,
            data: { site, seq, reason, runId, part: i + 1, parts: chunks.length, items: chunk },
          }),
        )
      }
      await insertMessages(conn, messages)
    }
    await conn.query('UPDATE sync_runs SET skus = ?, messages = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?', [
      skus,
      messages.length,
      runId,
    ])
    return { runId, subscriptions: subscriptions.map((s) => s.id) }
  }

  async function get(id: number): Promise<SyncRun> {
    const [[row]] = await deps.pool.query<Row<typeof syncRuns, keyof SyncRunRow>[]>(
      `SELECT ${columns(syncRuns, RUN_COLUMNS)} FROM sync_runs WHERE id = ?`,
      [id],
    )
    return toRun(row!)
  }

  return {
    /**
     * One site's run, logged; `audited` (an admin's request) adds its audit row in the same
     * transaction. Delivery is nudged after the commit.
     */
    async run(site: string, reason: SyncReason, requestedBy: string, audited = false): Promise<SyncRun> {
      const done = await inTransaction(deps.pool, async (conn) => {
        const result = await run(site, reason, requestedBy, conn)
        if (audited)
          await runStatements(conn, [
            auditStatement([
              { entity: 'webhook', entityId: `sync:${site}`, action: 'sync', actor: requestedBy, after: { runId: result.runId, reason } },
            ]),
          ])
        return result
      })
      for (const id of done.subscriptions) deps.nudge(id)
      return get(done.runId)
    },

    /** Sites with a live stock subscription: those the fallback and catalog changes sync. */
    async sites(): Promise<string[]> {
      const [rows] = await deps.pool.query<Row<typeof webhookSubscriptions, 'site'>[]>(
        `SELECT DISTINCT site FROM webhook_subscriptions WHERE status <> 'deleted' AND JSON_CONTAINS(events, '"stock"') ORDER BY site`,
      )
      return rows.map((r) => r.site)
    },

    /** The newest runs first, of one site or all, before run id `before`. */
    async list(opts: { site?: string; sites?: readonly string[] | null; before?: number; limit: number }): Promise<SyncRun[]> {
      const conditions: [string, unknown][] = []
      if (opts.site) conditions.push(['site = ?', opts.site])
      // A key limited to some sites sees only their runs.
      if (opts.sites) conditions.push(['site IN (?)', opts.sites.length > 0 ? opts.sites : ['']])
      if (opts.before) conditions.push(['id < ?', opts.before])
      const where = conditions.map(([sql]) => sql)
      const values = conditions.map(([, value]) => value)
      const [rows] = await deps.pool.query<Row<typeof syncRuns, keyof SyncRunRow>[]>(
        `SELECT ${columns(syncRuns, RUN_COLUMNS)} FROM sync_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...values, opts.limit],
      )
      return rows.map(toRun)
    },
  }
}

export type FullSync = ReturnType<typeof createFullSync>
