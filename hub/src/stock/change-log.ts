import type { Pool, ResultSetHeader } from 'mysql2/promise'
import { stockChanges } from '../db/schema/index.ts'
import { columns, type Aggregate, type Packet, type Row } from '../db/typed-rows.ts'

/** One level as a writer left it, with its product's SKU and its location's site and code. */
export type ChangeRow = Row<typeof stockChanges, 'seq' | 'productId' | 'locationId' | 'onHand' | 'reserved' | 'version' | 'changedAt'> &
  Packet<{ sku: string; site: string; location: string; ageMs: number }>

export interface ChangePage {
  /** Rows after the cursor, in seq order, up to `through`. */
  rows: ChangeRow[]
  /** The cursor to read on from: every change up to it is in this page or an earlier one. */
  through: number
  /** True when the page stopped at its limit, not at the end of what is settled. */
  more: boolean
}

/**
 * How long a hole in the seqs may be an uncommitted writer's. A writer takes its seq in its last
 * statements, after its row locks, and commits at once; a hole older than this was a rollback
 * (MySQL never gives a seq back), so readers go past it.
 */
export const GAP_GRACE_MS = 5_000

const HORIZON = 'stock_changes_pruned_through'

/**
 * The change log's reads and upkeep. Seqs are given at insert but become visible at commit, so a
 * later seq can be seen before an earlier one: a reader stops before a young hole rather than
 * step over a change still committing, and a cursor it hands out never skips one.
 */
export function createChangeLog(pool: Pool, opts: { gapGraceMs?: number } = {}) {
  const graceMs = opts.gapGraceMs ?? GAP_GRACE_MS

  return {
    /** Changes after `after` (all sites, or one), at most `limit` of the log's rows looked at. */
    async read(after: number, limit: number, site?: string): Promise<ChangePage> {
      const [rows] = await pool.query<ChangeRow[]>(
        `SELECT ${columns(stockChanges, ['seq', 'productId', 'locationId', 'onHand', 'reserved', 'version', 'changedAt'], 'c')},
           p.sku AS sku, l.site AS site, l.code AS location,
           TIMESTAMPDIFF(MICROSECOND, c.changed_at, CURRENT_TIMESTAMP(3)) DIV 1000 AS ageMs
         FROM stock_changes c JOIN products p ON p.id = c.product_id JOIN locations l ON l.id = c.location_id
         WHERE c.seq > ? ORDER BY c.seq LIMIT ?`,
        [after, limit],
      )
      let through = after
      const settled: ChangeRow[] = []
      for (const row of rows) {
        const seq = Number(row.seq)
        if (seq !== through + 1 && Number(row.ageMs) < graceMs) break
        through = seq
        settled.push({ ...row, seq })
      }
      return { rows: site ? settled.filter((r) => r.site === site) : settled, through, more: settled.length === limit }
    },

    /** The highest seq written so far (0 for none): a full sync records it, to skip the next if unchanged. */
    async latest(site?: string): Promise<number> {
      const [[row]] = await pool.query<Aggregate<'seq'>[]>(
        site
          ? 'SELECT MAX(c.seq) AS seq FROM stock_changes c JOIN locations l ON l.id = c.location_id WHERE l.site = ?'
          : 'SELECT MAX(seq) AS seq FROM stock_changes',
        site ? [site] : [],
      )
      return Number(row?.seq ?? 0)
    },

    /** Cursors at or below this were pruned away: their reader must start again from a snapshot. */
    async horizon(): Promise<number> {
      const [[row]] = await pool.query<Aggregate<'value'>[]>('SELECT value FROM sync_state WHERE name = ?', [HORIZON])
      return Number(row?.value ?? 0)
    },

    /**
     * Drops changes older than `keepMs`, never one past `notAfter` (what a consumer that must see
     * every change, such as webhook fan-out, has not read yet), and moves the horizon up.
     */
    async prune(keepMs: number, notAfter: number): Promise<number> {
      const [[edge]] = await pool.query<Aggregate<'seq'>[]>(
        'SELECT MAX(seq) AS seq FROM stock_changes WHERE changed_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND AND seq <= ?',
        [keepMs / 1000, notAfter],
      )
      const through = Number(edge?.seq ?? 0)
      if (through === 0) return 0
      // The horizon moves first: a reader that checks it after reading can then never have missed
      // rows this prune deleted under it.
      await pool.query(
        `INSERT INTO sync_state (name, value) VALUES (?, ?)
         ON DUPLICATE KEY UPDATE value = GREATEST(value, VALUES(value)), updated_at = CURRENT_TIMESTAMP(3)`,
        [HORIZON, through],
      )
      let dropped = 0
      for (;;) {
        // In chunks: one huge delete would hold its locks (and the undo log) for long.
        const [result] = await pool.query<ResultSetHeader>('DELETE FROM stock_changes WHERE seq <= ? ORDER BY seq LIMIT 10000', [through])
        dropped += result.affectedRows
        if (result.affectedRows < 10_000) break
      }
      return dropped
    },
  }
}

export type ChangeLog = ReturnType<typeof createChangeLog>
