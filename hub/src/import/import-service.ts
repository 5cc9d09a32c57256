import { createHash } from 'node:crypto'
import { v5 as uuidv5 } from 'uuid'
import type { Pool } from 'mysql2/promise'
import type { ImportKind, ImportProblem, ImportReport } from '@wh/shared'
import { imports } from '../db/schema/index.ts'
import { runStatements, type Statement } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import { columns, type Aggregate, type Row } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { auditStatement } from '../stock/audit-log.ts'
import { writeCatalog } from './catalog-write.ts'
import { checkImport, type ImportFile } from './import-check.ts'
import { loadKnownCatalog } from './known-catalog.ts'
import { enqueueStock, openingStockEvents, openingStockReason, stockProgress, type Positions, type StockQueue } from './opening-stock.ts'

/** The namespace of import ids (UUIDv5 of kind and content): the same file is the same import. */
const IMPORT_NAMESPACE = '0f7d4a52-9c1e-4b8e-8d43-6a2f1c5e7b90'

/** Problems a refusal lists: a file that is wrong on every one of a million lines is answered with its first ones. */
const LISTED_MAX = 10_000

/** 422 IMPORT_REFUSED with the problems, in file and line order. */
export function refusal(problems: ImportProblem[]) {
  const listed = problems.length > LISTED_MAX ? `, the first ${LISTED_MAX} listed` : ''
  const n = problems.length
  return new HubError('IMPORT_REFUSED', `${n} problem${n === 1 ? '' : 's'}${listed}`, problems.slice(0, LISTED_MAX))
}

const importIdOf = (kind: ImportKind, sha256: string) => uuidv5(`${kind}:${sha256}`, IMPORT_NAMESPACE)

export interface ApplyOptions {
  actor: string
  /** Told how many of the opening stock rows are in the inboxes so far. */
  onQueued?: (queued: number, total: number) => void
}

type ImportRow = Row<typeof imports, 'id' | 'kind' | 'rowCount' | 'status' | 'positions'>

/**
 * CSV import of the catalog and opening stock: a dry run lists every problem and writes nothing;
 * an apply with any problem writes nothing either. The catalog rows of all the files are upserted
 * in one transaction, audited per file with the importer; opening stock then goes as count events
 * through the partitions, the path scans take, so the ledger explains every unit it brings.
 */
export function createImportService(pool: Pool, stock: StockQueue) {
  async function check(files: ImportFile[]) {
    const known = await loadKnownCatalog(pool)
    const result = await checkImport(files, known)
    const hashes = files.map((f) => createHash('sha256').update(f.data).digest('hex'))
    const reports = files.map((f, i): ImportReport => ({
      id: importIdOf(f.kind, hashes[i]!),
      kind: f.kind,
      dryRun: true,
      rows: result.plan[f.kind].length,
      status: 'checked',
    }))
    return { ...result, known, reports, hashes }
  }

  /** The imports rows and audit rows of the files, written in the catalog's transaction. */
  function records(reports: ImportReport[], hashes: string[], actor: string): Statement[] {
    const rows = reports.map((r, i) => {
      const applied = r.kind !== 'stock'
      return [r.id, r.kind, hashes[i], r.rows, actor, applied ? 'applied' : 'applying', applied ? new Date() : null]
    })
    return [
      {
        sql: `INSERT INTO imports (id, kind, sha256, row_count, actor, status, finished_at) VALUES ?
          ON DUPLICATE KEY UPDATE actor = VALUES(actor), status = VALUES(status), positions = NULL,
            started_at = CURRENT_TIMESTAMP(3), finished_at = VALUES(finished_at)`,
        values: [rows],
      },
      auditStatement(
        reports.map((r) => ({
          entity: 'import',
          entityId: r.id,
          action: 'apply',
          actor,
          reason: `${r.kind} file, ${r.rows} rows`,
          after: { kind: r.kind, rows: r.rows },
        })),
      ),
    ]
  }

  /**
   * Rows the partitions held for an admin instead of applying (a count into a location whose
   * stock is in other lots may find its lot short): found by their events' reason. A scan of
   * held_events, which stays small, once per finished import read.
   */
  async function heldRows(id: string): Promise<number> {
    const [[row]] = await pool.query<Aggregate<'n'>[]>(
      `SELECT COUNT(*) AS n FROM held_events WHERE device_id IS NULL AND JSON_VALUE(payload, '$.event.reason') = ?`,
      [openingStockReason(id)],
    )
    return Number(row!.n)
  }

  async function progress(id: string): Promise<ImportReport | undefined> {
    const [[row]] = await pool.query<ImportRow[]>(
      `SELECT ${columns(imports, ['id', 'kind', 'rowCount', 'status', 'positions'])} FROM imports WHERE id = ?`,
      [id],
    )
    if (!row) return undefined
    const report: ImportReport = { id, kind: row.kind as ImportKind, dryRun: false, rows: row.rowCount, status: row.status as 'applied' }
    if (row.kind !== 'stock') return report
    if (row.status === 'applied') return { ...report, applied: row.rowCount, held: await heldRows(id) }
    if (row.positions === null) return { ...report, applied: 0 }
    const now = await stockProgress(stock.inbox, JSON.parse(row.positions) as Positions)
    if (now.lost) throw new HubError('INBOX_LOST', `import ${id}`)
    if (!now.done) return { ...report, applied: now.applied }
    await pool.query(`UPDATE imports SET status = 'applied', finished_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status = 'applying'`, [id])
    return { ...report, status: 'applied', applied: row.rowCount, held: await heldRows(id) }
  }

  return {
    /** Every problem of the files, by kind, line and column; nothing is written. */
    async dryRun(files: ImportFile[]) {
      const { problems, reports } = await check(files)
      return { problems, reports }
    },

    /**
     * Applies the files, or nothing (422 IMPORT_REFUSED with every problem) if any has a problem.
     * Opening stock is queued, not yet applied, when this returns: see `progress`.
     */
    async apply(files: ImportFile[], options: ApplyOptions): Promise<ImportReport[]> {
      const { problems, plan, known, reports, hashes } = await check(files)
      if (problems.length > 0) throw refusal(problems)
      await inTransaction(pool, async (conn) => {
        await writeCatalog(conn, plan, (s) => runStatements(conn, s))
        await runStatements(conn, records(reports, hashes, options.actor))
      })
      const stockFile = reports.find((r) => r.kind === 'stock')
      if (stockFile) {
        // The ids the catalog write gave the products and locations this import added.
        const ids = await loadKnownCatalog(pool)
        for (const [sku, p] of ids.products) known.products.set(sku, p)
        for (const [key, l] of ids.locations) known.locations.set(key, l)
        const positions = await enqueueStock(stock, openingStockEvents(stockFile.id, plan.stock, known), (n) =>
          options.onQueued?.(n, plan.stock.length),
        )
        await pool.query('UPDATE imports SET positions = ? WHERE id = ?', [JSON.stringify(positions), stockFile.id])
      }
      return Promise.all(reports.map(async (r) => (await progress(r.id))!))
    },

    progress,

    /** Resolves once every opening stock row of the import is applied, telling `onProgress` on the way. */
    async waitApplied(id: string, onProgress?: (applied: number, rows: number) => void, everyMs = 200): Promise<ImportReport> {
      for (;;) {
        const report = await progress(id)
        if (!report) throw new HubError('NOT_FOUND', `import ${id}`)
        onProgress?.(report.applied ?? report.rows, report.rows)
        if (report.status === 'applied') return report
        await new Promise((r) => setTimeout(r, everyMs))
      }
    },
  }
}

export type ImportService = ReturnType<typeof createImportService>
