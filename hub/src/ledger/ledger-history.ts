import type { Pool, RowDataPacket } from 'mysql2/promise'
import type { HistoryPage, InventoryAsOf, Movement } from '@wh/shared'
import { HubError } from '../errors.ts'

/** The columns a Movement is read from, joined with its SKU, location code and the void of it. */
export const MOVEMENT_COLUMNS = `m.id, m.event_id, m.leg, m.type, p.sku, l.code AS location, m.qty_delta, m.on_hand_after,
  m.device_id, m.order_id, m.po_number, m.lot, m.reason, m.triggered_by, m.voids_movement_id, v.id AS voided_by, m.created_at`
export const MOVEMENT_JOINS = `JOIN products p ON p.id = m.product_id JOIN locations l ON l.id = m.location_id
  LEFT JOIN stock_movements v ON v.voids_movement_id = m.id`

const idOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))

export function toMovement(r: RowDataPacket): Movement {
  return {
    id: Number(r.id),
    eventId: r.event_id,
    leg: r.leg,
    type: r.type,
    sku: r.sku,
    location: r.location,
    qtyDelta: r.qty_delta,
    onHandAfter: r.on_hand_after,
    deviceId: r.device_id,
    orderId: r.order_id,
    poNumber: r.po_number,
    lot: r.lot,
    reason: r.reason,
    triggeredBy: r.triggered_by,
    voidsMovementId: idOrNull(r.voids_movement_id),
    voidedByMovementId: idOrNull(r.voided_by),
    createdAt: (r.created_at as Date).toISOString(),
  }
}

/**
 * Reads the ledger: a product's movements newest first, and its stock at a past instant summed
 * from the ledger (the covering index movements_level_sum answers that without reading rows).
 */
export function createLedgerHistory(pool: Pool) {
  async function product(sku: string) {
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT id, sku, name, reorder_threshold FROM products WHERE sku = ?', [sku])
    if (!row) throw new HubError('NOT_FOUND', `no product ${sku}`)
    return { id: row.id as number, sku: row.sku as string, name: row.name as string, reorderThreshold: row.reorder_threshold as number }
  }

  return {
    /** One page of a product's movements (optionally at one location code), older than `before`. */
    async history(sku: string, query: { location?: string; limit: number; before?: number }): Promise<HistoryPage> {
      const p = await product(sku)
      const where = ['m.product_id = ?']
      const params: unknown[] = [p.id]
      if (query.location !== undefined) {
        const [found] = await pool.query<RowDataPacket[]>('SELECT id FROM locations WHERE code = ?', [query.location])
        if (found.length === 0) throw new HubError('NOT_FOUND', `no location ${query.location}`)
        where.push('m.location_id IN (?)')
        params.push(found.map((r) => r.id))
      }
      if (query.before !== undefined) {
        where.push('m.id < ?')
        params.push(query.before)
      }
      // One row more than asked says whether an older page exists.
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT ${MOVEMENT_COLUMNS} FROM stock_movements m ${MOVEMENT_JOINS}
          WHERE ${where.join(' AND ')} ORDER BY m.id DESC LIMIT ?`,
        [...params, query.limit + 1],
      )
      const items = rows.slice(0, query.limit).map(toMovement)
      return { sku: p.sku, items, next: rows.length > query.limit ? items.at(-1)!.id : null }
    },

    /**
     * On hand per location at `at`, from the ledger. Reserved is not historical (reservations are
     * not ledger rows), so it is not given. `now` is passed in so the future check is testable.
     */
    async stockAt(sku: string, at: Date, now = new Date()): Promise<InventoryAsOf> {
      if (at.getTime() > now.getTime()) throw new HubError('AT_IN_FUTURE', `${at.toISOString()} is after ${now.toISOString()}`)
      const p = await product(sku)
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT l.code, t.on_hand FROM (
           SELECT location_id, SUM(qty_delta) AS on_hand FROM stock_movements
            WHERE product_id = ? AND created_at <= ? GROUP BY location_id
         ) t JOIN locations l ON l.id = t.location_id ORDER BY l.code`,
        [p.id, at],
      )
      const locations: InventoryAsOf['locations'] = {}
      let onHand = 0
      for (const r of rows) {
        const qty = Number(r.on_hand)
        // A code used at two sites is one entry, as the live cache keys locations by code.
        locations[r.code] = { onHand: (locations[r.code]?.onHand ?? 0) + qty }
        onHand += qty
      }
      return { sku: p.sku, name: p.name, at: at.toISOString(), onHand, reorderThreshold: p.reorderThreshold, locations }
    },
  }
}

export type LedgerHistory = ReturnType<typeof createLedgerHistory>
