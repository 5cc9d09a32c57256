import type { Pool } from 'mysql2/promise'
import { planBatch, type BatchPlan } from './batch-plan.ts'
import type { StockLevel } from '../stock/stock-level.ts'
import { readBatchState } from './batch-state.ts'
import { batchWrites } from './batch-write.ts'
import { runStatements, type Statement } from '../db/statements.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'

export interface BatchResult {
  plan: BatchPlan
  /** Every level the batch touched, as committed (changed or not), for the cache and the acks. */
  levels: Map<string, StockLevel>
}

export interface ApplyOptions {
  /** Events to hold as APPLY_FAILED instead of applying (eventId to why). */
  aside?: ReadonlyMap<string, string>
  /** Only find out whether the batch's writes fail: they are rolled back, never committed. */
  trial?: boolean
}

export interface ApplierHooks {
  /** A fault test's crash or kill between the writes and the commit. */
  beforeCommit?: () => unknown
  /** A fault test's statements sent after a plan's writes (HUB_FAULT_POISON fails them). */
  afterWrites?: (plan: BatchPlan) => Statement[]
}

/**
 * Applies one partition batch in one transaction with set-based statements: a handful of reads
 * and one write per table, whatever the batch size, in two round trips (reads, then writes and
 * the commit).
 */
export function createBatchApplier(pool: Pool, hooks: ApplierHooks = {}) {
  /** Device bookkeeping: last seen now, and the highest deviceSeq applied. */
  async function touchDevices(lastSeq: Map<string, number>) {
    const ids = [...lastSeq.keys()].sort()
    await pool.query(
      `UPDATE devices SET last_seen_at = CURRENT_TIMESTAMP(3),
         last_device_seq = GREATEST(last_device_seq, CASE id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} END)
       WHERE id IN (?) ORDER BY id`,
      [...ids.flatMap((id) => [id, lastSeq.get(id)]), ids],
    )
  }

  return {
    touchDevices,
    async applyBatch(items: QueuedEvent[], options: ApplyOptions = {}): Promise<BatchResult> {
      const conn = await pool.getConnection()
      let broken = false
      try {
        const state = await readBatchState(conn, items, { begin: true })
        const plan = planBatch(items, state, options.aside)
        const writes = [...batchWrites(plan), ...(hooks.afterWrites?.(plan) ?? [])]
        if (options.trial) {
          await runStatements(conn, [...writes, { sql: 'ROLLBACK' }])
        } else if (hooks.beforeCommit) {
          // A fault test's crash or kill must find the writes sent and not committed.
          await runStatements(conn, writes)
          await hooks.beforeCommit()
          await conn.commit()
        } else {
          await runStatements(conn, [...writes, { sql: 'COMMIT' }])
        }
        return { plan, levels: state.levels }
      } catch (err) {
        await conn.rollback().catch(() => (broken = true))
        throw err
      } finally {
        // A connection that cannot even roll back is dropped, not handed to the next batch.
        if (broken) conn.destroy()
        else conn.release()
      }
    },
  }
}

export type BatchApplier = ReturnType<typeof createBatchApplier>
