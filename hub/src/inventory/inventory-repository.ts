import type { Pool, RowDataPacket } from 'mysql2/promise'
import { planBatch, type BatchPlan, type Level } from './apply-plan.ts'
import { readBatchState } from './batch-state.ts'
import { writeBatch } from './batch-write.ts'
import type { QueuedEvent } from '../partitions/queued-event.ts'

export interface BatchResult {
  plan: BatchPlan
  /** Every level the batch touched, as committed (changed or not), for the cache and the acks. */
  levels: Map<string, Level>
}

/**
 * Applies one partition batch in one transaction with set-based statements: a handful of reads
 * and one write per table, whatever the batch size.
 */
export function createInventoryRepository(pool: Pool, hooks: { beforeCommit?: () => void } = {}) {
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
    async pendingHeld(): Promise<number> {
      const [rows] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM held_events WHERE status = 'pending'`)
      return Number(rows[0]!.n)
    },
    async applyBatch(items: QueuedEvent[]): Promise<BatchResult> {
      const conn = await pool.getConnection()
      let broken = false
      try {
        await conn.beginTransaction()
        const state = await readBatchState(conn, items)
        const plan = planBatch(items, state)
        await writeBatch(conn, plan)
        hooks.beforeCommit?.()
        await conn.commit()
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

export type InventoryRepository = ReturnType<typeof createInventoryRepository>
