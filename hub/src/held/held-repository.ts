import type { Pool, PoolConnection } from 'mysql2/promise'
import { v7 as uuidv7 } from 'uuid'
import type { Acting } from '../auth/caller.ts'
import type { ApproveHeld, HeldEvent, HeldEventPage, HeldEventQuery, RejectHeld } from '@wh/shared'
import { inTransaction } from '../db/transaction.ts'
import type { Aggregate } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { planBatch } from '../apply/batch-plan.ts'
import { levelKey } from '../stock/stock-level.ts'
import { readBatchState } from '../apply/batch-state.ts'
import { batchWrites } from '../apply/batch-write.ts'
import { runStatements } from '../db/statements.ts'
import { auditStatement } from '../stock/audit-log.ts'
import type { ApplierHooks, BatchResult } from '../apply/batch-apply.ts'
import { isTransientDbError } from '../db/transient-errors.ts'
import { payloadHash } from '../acks/payload-hash.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import { HELD_COLUMNS, SELECT_LISTED, toHeld, type HeldRow, type ListedRow } from './held-rows.ts'

export interface Decision {
  held: HeldEvent
  /** The event as it was queued, for its device's ack. */
  item: QueuedEvent
  /** What an approval applied; none for a rejection. */
  applied?: BatchResult
  onHand: number
  available: number
}

/** Each status a list may ask for, as the statuses of the rows. */
const STATUSES: Record<HeldEventQuery['status'], readonly HeldEvent['status'][]> = {
  pending: ['pending'],
  approved: ['approved'],
  rejected: ['rejected'],
  decided: ['approved', 'rejected'],
}

/** The count an admin took at approval, recorded before the event as a movement of its own. */
function countAt(item: QueuedEvent, counted: number, approval: QueuedEvent['approval']): QueuedEvent {
  const event = { ...item.event, eventId: uuidv7(), type: 'count' as const, qty: counted, toLocation: undefined, orderId: undefined }
  const { toLocationId: _to, toLocationCode: _code, lot: _lot, poNumber: _po, ...at } = item
  return { ...at, event, hash: payloadHash(event), qty: counted, approval }
}

/**
 * Held events and an admin's decisions on them. A decision locks the held row (so two admins
 * cannot both decide), then, for an approval, applies the event through the same plan a scan
 * gets, in one transaction with the decision and its audit entry.
 */
export function createHeldRepository(pool: Pool, hooks: Pick<ApplierHooks, 'afterWrites'> = {}) {
  async function lockPending(conn: PoolConnection, id: number) {
    const [rows] = await conn.query<HeldRow[]>(`SELECT ${HELD_COLUMNS} FROM held_events WHERE id = ? FOR UPDATE`, [id])
    const row = rows[0]
    if (!row) throw new HubError('NOT_FOUND', `no held event ${id}`)
    if (row.status !== 'pending') throw new HubError('HELD_DECIDED', `held event ${id} was already ${row.status}`)
    return row
  }

  async function decide(conn: PoolConnection, row: HeldRow, status: 'approved' | 'rejected', actor: string, reason: string, after: object) {
    await conn.query(
      `UPDATE held_events SET status = ?, decided_by = ?, decided_at = CURRENT_TIMESTAMP(3), decision_reason = ? WHERE id = ?`,
      [status, actor, reason, row.id],
    )
    await runStatements(conn, [
      auditStatement([
        {
          entity: 'held_event',
          entityId: row.eventId,
          action: status === 'approved' ? 'approve' : 'reject',
          actor,
          reason,
          before: { status: 'pending', reasonCode: row.reasonCode, reason: row.reason },
          after: { status, ...after },
        },
      ]),
    ])
    // Read in the decision's transaction: the stock now is what it left.
    const [fresh] = await conn.query<ListedRow[]>(`${SELECT_LISTED} WHERE h.id = ?`, [row.id])
    return toHeld(fresh[0]!)
  }

  return {
    /** A page of held events of `sites` (all when undefined) with the stock now, in `query.order`. */
    async list(query: HeldEventQuery, sites?: readonly string[]): Promise<HeldEventPage> {
      if (sites?.length === 0) return { items: [], next: null }
      // The site is the queued event's; filtered on the status index's rows (held events are few).
      const atSites = sites === undefined ? '' : ` AND JSON_VALUE(h.payload, '$.site') IN (?)`
      const [rows] = await pool.query<ListedRow[]>(
        `${SELECT_LISTED} WHERE h.status IN (?) AND h.id < ? AND h.id > ?${atSites}
         ORDER BY h.id ${query.order === 'oldest' ? 'ASC' : 'DESC'} LIMIT ?`,
        [
          STATUSES[query.status],
          query.before ?? Number.MAX_SAFE_INTEGER,
          query.after ?? 0,
          ...(sites === undefined ? [] : [sites]),
          query.limit + 1,
        ],
      )
      const items = rows.slice(0, query.limit).map(toHeld)
      return { items, next: rows.length > query.limit ? items.at(-1)!.id : null }
    },

    async get(id: number): Promise<HeldEvent> {
      const [rows] = await pool.query<ListedRow[]>(`${SELECT_LISTED} WHERE h.id = ?`, [id])
      if (!rows[0]) throw new HubError('NOT_FOUND', `no held event ${id}`)
      return toHeld(rows[0])
    },

    approve: (id: number, input: ApproveHeld & Acting): Promise<Decision> =>
      inTransaction(pool, async (conn) => {
        const row = await lockPending(conn, id)
        const approval = { actor: input.actor, reason: input.reason }
        const original = JSON.parse(row.payload) as QueuedEvent
        const item: QueuedEvent = { ...original, approval, qty: input.qty ?? original.qty }
        if (input.withoutPo) delete item.poNumber
        const items = input.countedOnHand === undefined ? [item] : [countAt(item, input.countedOnHand, approval), item]
        const state = await readBatchState(conn, items, { reconsidered: [item.event.eventId] })
        const plan = planBatch(items, state)
        // Still not appliable as approved: nothing is written, and the admin is told why.
        if (plan.held.length > 0) throw new HubError('HELD_STILL_UNAPPLIABLE', plan.held[0]!.reason)
        // Refused by the database for good (an event set aside as APPLY_FAILED may still be): it
        // stays held, as it was, and the admin is told; the transaction rolls back.
        await runStatements(conn, [...batchWrites(plan), ...(hooks.afterWrites?.(plan) ?? [])]).catch((err: unknown) => {
          if (isTransientDbError(err)) throw err
          throw new HubError('HELD_STILL_UNAPPLIABLE', 'the database refused its writes; it stays held')
        })
        const level = state.levels.get(levelKey(item.productId, item.locationId))!
        const after = {
          qty: item.qty,
          countedOnHand: input.countedOnHand ?? null,
          withoutPo: input.withoutPo ?? false,
          onHand: level.onHand,
        }
        const held = await decide(conn, row, 'approved', approval.actor, input.reason, after)
        return { held, item, applied: { plan, levels: state.levels }, ...held.stockNow }
      }),

    reject: (id: number, input: RejectHeld & Acting): Promise<Decision> =>
      inTransaction(pool, async (conn) => {
        const row = await lockPending(conn, id)
        const item = JSON.parse(row.payload) as QueuedEvent
        const held = await decide(conn, row, 'rejected', input.actor, input.reason, {})
        return { held, item, ...held.stockNow }
      }),

    async pending(): Promise<number> {
      const [rows] = await pool.query<Aggregate<'n'>[]>(`SELECT COUNT(*) AS n FROM held_events WHERE status = 'pending'`)
      return Number(rows[0]!.n)
    },

    /** How many await a decision at each of `sites` (its device's site, as `list` filters). */
    async pendingAt(sites: readonly string[]): Promise<Map<string, number>> {
      const counts = new Map(sites.map((site) => [site, 0]))
      if (sites.length === 0) return counts
      const [rows] = await pool.query<(Aggregate<'n'> & { site: string })[]>(
        `SELECT JSON_VALUE(payload, '$.site') AS site, COUNT(*) AS n FROM held_events
         WHERE status = 'pending' AND JSON_VALUE(payload, '$.site') IN (?) GROUP BY site`,
        [sites],
      )
      for (const r of rows) counts.set(r.site, Number(r.n))
      return counts
    },
  }
}

export type HeldRepository = ReturnType<typeof createHeldRepository>
