import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise'
import { levelKey, planBatch, reservationKey, type BatchPlan, type HeldReservation, type Level, type SettledEvent } from './apply-plan.ts'
import type { QueuedEvent } from '../partitions/queued-event.ts'

export interface BatchResult {
  plan: BatchPlan
  /** Every level the batch touched, as committed (changed or not), for the cache and the acks. */
  levels: Map<string, Level>
}

/** A scannedAt that MySQL's DATETIME can hold, else null (the server's created_at still orders it). */
function scannedAt(iso: string | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  const year = d.getUTCFullYear()
  return Number.isNaN(d.getTime()) || year < 1000 || year > 9999 ? null : d
}

/**
 * Applies one partition batch in one transaction with set-based statements: one read of the
 * settled ids, one locking read of the levels, one insert each for ledger rows and held events,
 * and one upsert of the levels, whatever the batch size.
 */
export function createInventoryRepository(pool: Pool, hooks: { beforeCommit?: () => void } = {}) {
  async function readSettled(conn: PoolConnection, ids: string[]) {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT event_id, payload_hash, 'applied' AS status FROM stock_movements WHERE leg = 0 AND event_id IN (?)
       UNION ALL SELECT event_id, payload_hash, 'held' AS status FROM held_events WHERE event_id IN (?)`,
      [ids, ids],
    )
    return new Map(rows.map((r) => [r.event_id as string, { hash: r.payload_hash as string, status: r.status } as SettledEvent]))
  }

  async function lockLevels(conn: PoolConnection, items: QueuedEvent[]) {
    const pairs = new Map<string, [number, number]>()
    for (const i of items) {
      pairs.set(levelKey(i.productId, i.locationId), [i.productId, i.locationId])
      if (i.toLocationId !== undefined) pairs.set(levelKey(i.productId, i.toLocationId), [i.productId, i.toLocationId])
    }
    // Sorted, like every other writer of stock_levels, so lock order is fixed and deadlocks rare.
    const sorted = [...pairs.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1])
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT product_id, location_id, on_hand, reserved, version FROM stock_levels
       WHERE (product_id, location_id) IN (?) ORDER BY product_id, location_id FOR UPDATE`,
      [sorted],
    )
    const levels = new Map<string, Level>()
    for (const r of rows) {
      const l: Level = {
        productId: r.product_id,
        locationId: r.location_id,
        onHand: r.on_hand,
        reserved: r.reserved,
        version: Number(r.version),
      }
      levels.set(levelKey(l.productId, l.locationId), l)
    }
    return levels
  }

  /** Active reservations of the orders the batch's picks name, locked after the levels (the order every writer keeps). */
  async function lockReservations(conn: PoolConnection, items: QueuedEvent[]) {
    const orderIds = [...new Set(items.flatMap((i) => (i.event.type === 'pick' && i.event.orderId ? [i.event.orderId] : [])))]
    const held = new Map<string, HeldReservation>()
    if (orderIds.length === 0) return held
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, order_id, product_id, location_id, qty FROM reservations WHERE status = 'active' AND order_id IN (?) ORDER BY id FOR UPDATE`,
      [orderIds],
    )
    for (const r of rows) held.set(reservationKey(r.order_id, r.product_id, r.location_id), { id: Number(r.id), qty: r.qty })
    return held
  }

  async function write(conn: PoolConnection, plan: BatchPlan) {
    if (plan.movements.length > 0) {
      await conn.query(
        `INSERT INTO stock_movements (event_id, leg, type, product_id, location_id, qty_delta, on_hand_after,
           device_id, device_seq, order_id, po_number, lot, reason, payload_hash, triggered_by, scanned_at) VALUES ?`,
        [
          plan.movements.map(({ eventId, leg, productId, locationId, qtyDelta, onHandAfter, item }) => [
            eventId,
            leg,
            item.event.type,
            productId,
            locationId,
            qtyDelta,
            onHandAfter,
            item.event.deviceId,
            item.event.deviceSeq,
            item.event.orderId ?? null,
            item.poNumber ?? null,
            item.lot ?? null,
            item.event.reason ?? null,
            leg === 0 ? item.hash : null,
            'scan',
            scannedAt(item.event.scannedAt),
          ]),
        ],
      )
    }
    if (plan.held.length > 0) {
      await conn.query(
        `INSERT INTO held_events (event_id, device_id, product_id, location_id, reason_code, reason, payload, payload_hash) VALUES ?`,
        [
          plan.held.map(({ item, code, reason }) => [
            item.event.eventId,
            item.event.deviceId,
            item.productId,
            item.locationId,
            code,
            reason,
            JSON.stringify(item),
            item.hash,
          ]),
        ],
      )
    }
    for (const { reservationId, qty } of plan.consumed) {
      // status first: assignments run left to right, so it still sees the qty before the pick.
      await conn.query(`UPDATE reservations SET status = IF(qty <= ?, 'consumed', status), qty = qty - ? WHERE id = ?`, [
        qty,
        qty,
        reservationId,
      ])
    }
    if (plan.changed.length > 0) {
      await conn.query(
        `INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version) VALUES ?
         ON DUPLICATE KEY UPDATE on_hand = VALUES(on_hand), reserved = VALUES(reserved), version = VALUES(version),
           updated_at = CURRENT_TIMESTAMP(3)`,
        [plan.changed.map((l) => [l.productId, l.locationId, l.onHand, l.reserved, l.version])],
      )
    }
  }

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
        const settled = await readSettled(conn, [...new Set(items.map((i) => i.event.eventId))])
        const levels = await lockLevels(conn, items)
        const plan = planBatch(items, levels, settled, await lockReservations(conn, items))
        await write(conn, plan)
        hooks.beforeCommit?.()
        await conn.commit()
        return { plan, levels }
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
