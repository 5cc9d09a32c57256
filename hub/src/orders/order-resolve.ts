import type { Pool } from 'mysql2/promise'
import type { Order } from '@wh/shared'
import { orders } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { auditStatement } from '../stock/audit-log.ts'
import type { NamedLevel } from '../stock/stock-level.ts'
import { orderEvent } from './order-events.ts'
import { lockHeld, releaseHeld } from './order-release.ts'

type Status = Order['status']
type Action = 'confirm' | 'cancel' | 'expire'

/** What an action makes of an order in this status; undefined when it changes nothing. */
function nextStatus(action: Action, before: Status, overdue: boolean): Status | undefined {
  if (action === 'cancel') return before === 'pending' || before === 'confirmed' ? 'cancelled' : undefined
  // Past its time a pending order expires, whoever asks (the job, or a late confirm).
  if (overdue) return 'expired'
  return action === 'confirm' && before === 'pending' ? 'confirmed' : undefined
}

/**
 * Ends a pending (or, to cancel, confirmed) order at most once. Releasing gives its still
 * reserved stock back; returns the order's status before and after, and the levels it changed.
 */
export function resolveOrder(pool: Pool, orderId: string, action: Action, actor: string) {
  return inTransaction(pool, async (conn) => {
    const [[order]] = await conn.query<Row<typeof orders, 'status' | 'site' | 'expiresAt' | 'externalRef' | 'fulfilment'>[]>(
      `SELECT ${columns(orders, ['status', 'site', 'expiresAt', 'externalRef', 'fulfilment'])} FROM orders WHERE id = ? FOR UPDATE`,
      [orderId],
    )
    if (!order || order.status === 'rejected') return { found: false as const }
    const before = order.status as Status
    // A pending order always has its expiry (set in the transaction that reserved it).
    const overdue = before === 'pending' && order.expiresAt!.getTime() <= Date.now()
    const after = nextStatus(action, before, overdue)
    if (!after) return { found: true as const, before, after: before, changed: [] as NamedLevel[] }

    let changed: NamedLevel[] = []
    const statements = []
    if (after === 'cancelled' || after === 'expired') {
      const { levels, held } = await lockHeld(conn, orderId, order.site)
      const cancelled = after === 'cancelled'
      changed = await releaseHeld(
        conn,
        orderId,
        levels,
        held.map((row) => ({ row, qty: row.qty })),
        {
          reason: (qty) => `${cancelled ? 'cancelled' : 'expired'}: ${qty} reserved released`,
          triggeredBy: cancelled ? 'order-cancel' : 'order-expiry',
        },
      )
      statements.push(
        auditStatement([
          {
            entity: 'order',
            entityId: orderId,
            action: cancelled ? 'cancel' : 'expire',
            actor,
            reason: cancelled ? 'cancelled by the ordering site' : 'reservation expired unconfirmed',
            before: { status: before, reserved: held.map((r) => ({ productId: r.productId, locationId: r.locationId, qty: r.qty })) },
            after: { status: after },
          },
        ]),
      )
    }
    statements.push(
      {
        sql: 'UPDATE orders SET status = ?, resolved_at = CURRENT_TIMESTAMP(3), updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?',
        values: [after, orderId],
      },
      orderEvent(`order.${after as Exclude<Status, 'pending'>}`, {
        orderId,
        site: order.site,
        externalRef: order.externalRef,
        status: after,
        fulfilment: order.fulfilment,
      }),
    )
    await runStatements(conn, statements)
    return { found: true as const, before, after, changed }
  })
}
