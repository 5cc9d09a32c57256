import type { Pool } from 'mysql2/promise'
import type { Queryable } from '../db/connection.ts'
import { ledgerCheckpoints, stockMovements } from '../db/schema/index.ts'
import { columns, type Aggregate, type Packet, type Row } from '../db/typed-rows.ts'
import { inTransaction } from '../db/transaction.ts'
import { levelKey } from '../stock/stock-level.ts'
import { chunksOf } from './chunks.ts'

/**
 * How old a ledger row must be to enter a checkpoint. A writer's transaction lasts milliseconds
 * (seconds when it waits for a lock), so a row this old was committed or rolled back long ago. A
 * row that still appears dated before a checkpoint (a transaction stuck for longer, a clock
 * stepped back) makes its level look discrepant once: the re-check under the level's lock sums
 * the whole ledger, and the level's checkpoint is dropped.
 */
const SETTLE_SECONDS = 10

/**
 * Levels per statement at most. MariaDB turns an IN list of 1,000 values or more
 * (`in_predicate_conversion_threshold`; a level is two) into a join with a table of them, which
 * reads each level's whole ledger instead of the range after its checkpoint: measured, 600
 * levels read 36,000 index rows where 400 read 98.
 */
const LEVELS_PER_STATEMENT = 400
/**
 * Settled rows after a checkpoint that move it on. Summing a few rows per level costs less than
 * rewriting the level's checkpoint every run; a level's history is what must not be summed.
 */
const MOVE_AFTER_ROWS = 100

export type LevelPair = [productId: number, locationId: number]

const chunks = <T>(list: T[]) => chunksOf(list, LEVELS_PER_STATEMENT)

export interface LedgerSum {
  productId: number
  locationId: number
  /** The level's whole ledger: its checkpoint plus every row after it. */
  sum: number
  /** The ledger through the horizon: the level's next checkpoint. */
  settled: number
  /** How many rows `settled` has beyond the checkpoint it was read from. */
  settledRows: number
  /** The moment of the checkpoint it was read from, if it had one. */
  through?: string
}

/** The moment this run's checkpoints reach, as the database's clock tells it (ledger rows carry that clock). */
export async function ledgerHorizon(pool: Pool): Promise<string> {
  const [[row]] = await pool.query<Packet<{ horizon: string }>[]>(
    `SELECT CAST(NOW(3) - INTERVAL ${SETTLE_SECONDS} SECOND AS CHAR) AS horizon`,
  )
  return row!.horizon
}

/**
 * The levels' ledger sums, each read from its checkpoint on: a range of the covering index
 * `movements_level_sum` (product, location, created_at) per level, so a run reads the rows after
 * the checkpoint (fewer than `MOVE_AFTER_ROWS` settled ones, plus the last seconds'), not the
 * level's history. Levels with neither a checkpoint nor a ledger row are left out.
 */
export async function readLedgerSums(db: Queryable, levels: LevelPair[], horizon: string): Promise<LedgerSum[]> {
  if (levels.length === 0) return []
  const checkpoints = (
    await Promise.all(
      chunks(levels).map((part) =>
        db
          // The moment is read as text: it is compared and passed back as the horizon is.
          .query<(Row<typeof ledgerCheckpoints, 'productId' | 'locationId' | 'qtySum'> & Packet<{ throughAt: string }>)[]>(
            `SELECT ${columns(ledgerCheckpoints, ['productId', 'locationId', 'qtySum'])}, CAST(through_at AS CHAR) AS throughAt
               FROM ledger_checkpoints WHERE (product_id, location_id) IN (?)`,
            [part],
          )
          .then(([r]) => r),
      ),
    )
  ).flat()
  const base = new Map(checkpoints.map((c) => [levelKey(c.productId, c.locationId), { through: c.throughAt, sum: Number(c.qtySum) }]))
  // One statement per checkpoint moment: the checkpoints one run moved all share its horizon.
  const groups = new Map<string, LevelPair[]>()
  for (const level of levels) {
    const through = base.get(levelKey(...level))?.through ?? ''
    if (!groups.has(through)) groups.set(through, [])
    groups.get(through)!.push(level)
  }
  const statements = [...groups].flatMap(([through, all]) => chunks(all).map((pairs) => ({ through, pairs })))
  const rows = (
    await Promise.all(
      statements.map(({ through, pairs }) =>
        db
          .query<(Row<typeof stockMovements, 'productId' | 'locationId'> & Aggregate<'n' | 'settled' | 'settled_rows'>)[]>(
            `SELECT ${columns(stockMovements, ['productId', 'locationId'])}, SUM(qty_delta) AS n, SUM(IF(created_at <= ?, qty_delta, 0)) AS settled,
             SUM(created_at <= ?) AS settled_rows
           FROM stock_movements WHERE (product_id, location_id) IN (?) ${through ? 'AND created_at > ?' : ''}
           GROUP BY product_id, location_id`,
            [horizon, horizon, pairs, ...(through ? [through] : [])],
          )
          .then(([r]) => r),
      ),
    )
  ).flat()
  const since = new Map(
    rows.map((r) => [levelKey(r.productId, r.locationId), { n: Number(r.n), settled: Number(r.settled), rows: Number(r.settled_rows) }]),
  )
  return levels.flatMap(([productId, locationId]) => {
    const cp = base.get(levelKey(productId, locationId))
    const after = since.get(levelKey(productId, locationId))
    if (!cp && !after) return []
    const sum = (cp?.sum ?? 0) + (after?.n ?? 0)
    const settled = (cp?.sum ?? 0) + (after?.settled ?? 0)
    return [{ productId, locationId, sum, settled, settledRows: after?.rows ?? 0, through: cp?.through }]
  })
}

/**
 * Moves the levels' checkpoints to the horizon, where enough rows settled after them. Only levels
 * whose sums agreed with their stock levels get one: a discrepant level's checkpoint is dropped
 * instead, so its next check sums its whole ledger again (what the correction went by).
 */
export async function saveCheckpoints(pool: Pool, sums: LedgerSum[], horizon: string, discrepant: LevelPair[]) {
  const suspect = new Set(discrepant.map((l) => levelKey(...l)))
  const isSuspect = (s: LedgerSum) => suspect.has(levelKey(s.productId, s.locationId))
  // A checkpoint already past the horizon (a clock stepped back) stays as it is.
  const moving = sums.filter((s) => !isSuspect(s) && s.settledRows >= MOVE_AFTER_ROWS && !(s.through && s.through >= horizon))
  const dropped = sums.filter((s) => isSuspect(s) && s.through)
  if (moving.length + dropped.length === 0) return
  await inTransaction(pool, async (conn) => {
    for (const part of chunks(dropped))
      await conn.query('DELETE FROM ledger_checkpoints WHERE (product_id, location_id) IN (?)', [
        part.map((s) => [s.productId, s.locationId]),
      ])
    if (moving.length > 0)
      await conn.query(
        `INSERT INTO ledger_checkpoints (product_id, location_id, through_at, qty_sum) VALUES ?
         ON DUPLICATE KEY UPDATE through_at = VALUES(through_at), qty_sum = VALUES(qty_sum)`,
        [moving.map((s) => [s.productId, s.locationId, horizon, s.settled])],
      )
  })
}
