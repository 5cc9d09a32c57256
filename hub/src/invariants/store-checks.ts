import type { Pool, RowDataPacket } from 'mysql2/promise'
import { locations, products, stockLevels } from '../db/schema/index.ts'
import { inSnapshot } from '../db/transaction.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { REPORT_LIMIT, type InvariantId, type Violation } from './violation.ts'

/**
 * Each check is one query whose rows are violations, so a healthy database answers with nothing.
 * They run in one REPEATABLE READ snapshot: under load the ledger, the levels, the lots and the
 * reservations are compared as of one instant, never half a batch apart.
 */
const CHECKS: { invariant: InvariantId; sql: string; describe: (r: RowDataPacket) => string }[] = [
  {
    invariant: 'I1',
    sql: `SELECT p.sku, l.code, s.on_hand,
            (SELECT COALESCE(SUM(m.qty_delta), 0) FROM stock_movements m WHERE m.product_id = s.product_id AND m.location_id = s.location_id) AS ledger,
            (SELECT COALESCE(SUM(t.qty), 0) FROM lots t WHERE t.product_id = s.product_id AND t.location_id = s.location_id) AS lots
          FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
          HAVING ledger <> on_hand OR lots <> on_hand`,
    describe: (r) => `${r.sku}@${r.code}: on_hand ${r.on_hand}, ledger sum ${r.ledger}, lots sum ${r.lots}`,
  },
  {
    invariant: 'I1',
    sql: `SELECT m.product_id, m.location_id, SUM(m.qty_delta) AS ledger FROM stock_movements m
          WHERE NOT EXISTS (SELECT 1 FROM stock_levels s WHERE s.product_id = m.product_id AND s.location_id = m.location_id)
          GROUP BY m.product_id, m.location_id HAVING ledger <> 0`,
    describe: (r) => `product ${r.product_id} at location ${r.location_id}: ledger sum ${r.ledger} but no stock level`,
  },
  {
    // The change log missed no write: a level's latest logged change is the level as it stands.
    invariant: 'I1',
    sql: `SELECT p.sku, l.code, s.on_hand, s.reserved, s.version, c.seq, c.on_hand AS logged_on_hand, c.reserved AS logged_reserved, c.version AS logged_version
          FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
          JOIN stock_changes c ON c.seq = (SELECT MAX(x.seq) FROM stock_changes x WHERE x.product_id = s.product_id AND x.location_id = s.location_id)
          WHERE c.on_hand <> s.on_hand OR c.reserved <> s.reserved OR c.version <> s.version`,
    describe: (r) =>
      `${r.sku}@${r.code}: level ${r.on_hand}/${r.reserved} v${r.version}, change log (seq ${r.seq}) ${r.logged_on_hand}/${r.logged_reserved} v${r.logged_version}`,
  },
  {
    invariant: 'I2',
    sql: `SELECT p.sku, l.code, s.on_hand, s.reserved FROM stock_levels s
          JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
          WHERE s.on_hand < 0 OR s.reserved < 0 OR s.on_hand < s.reserved`,
    describe: (r) => `${r.sku}@${r.code}: on_hand ${r.on_hand}, reserved ${r.reserved}`,
  },
  {
    invariant: 'I2',
    sql: `SELECT id, product_id, location_id, lot_code, qty FROM lots WHERE qty < 0`,
    describe: (r) => `lot ${r.id} (${r.lot_code}) of product ${r.product_id} at ${r.location_id}: qty ${r.qty}`,
  },
  {
    // A move writes both legs in one transaction; anything else writes leg 0 only.
    invariant: 'I3',
    sql: `SELECT event_id, MIN(type) AS type, COUNT(*) AS legs, SUM(leg = 0) AS out_legs, SUM(leg = 1) AS in_legs
          FROM stock_movements GROUP BY event_id
          HAVING out_legs <> 1 OR in_legs > 1 OR (type = 'move' AND in_legs <> 1) OR (type <> 'move' AND in_legs <> 0)`,
    describe: (r) => `event ${r.event_id} (${r.type}): ${r.out_legs} out-legs and ${r.in_legs} in-legs`,
  },
  {
    // A leg with lot rows split exactly over them; one without went wholly through the unnamed lot.
    invariant: 'I3',
    sql: `SELECT m.event_id, m.leg, m.qty_delta, COALESCE(SUM(lm.qty_delta), 0) AS lot_sum
          FROM stock_movements m LEFT JOIN lot_movements lm ON lm.event_id = m.event_id AND lm.leg = m.leg
          GROUP BY m.id, m.event_id, m.leg, m.qty_delta HAVING COUNT(lm.id) > 0 AND lot_sum <> m.qty_delta`,
    describe: (r) => `event ${r.event_id} leg ${r.leg}: moved ${r.qty_delta} but its lots moved ${r.lot_sum}`,
  },
  {
    invariant: 'I3',
    sql: `SELECT h.event_id, h.status FROM held_events h
          WHERE h.status <> 'approved' AND EXISTS (SELECT 1 FROM stock_movements m WHERE m.event_id = h.event_id)`,
    describe: (r) => `event ${r.event_id} is both in the ledger and held (${r.status})`,
  },
  {
    invariant: 'I6',
    sql: `SELECT p.sku, l.code, s.reserved,
            (SELECT COALESCE(SUM(r.qty), 0) FROM reservations r WHERE r.product_id = s.product_id AND r.location_id = s.location_id AND r.status = 'active') AS active
          FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
          HAVING active <> reserved`,
    describe: (r) => `${r.sku}@${r.code}: reserved ${r.reserved}, active reservations ${r.active}`,
  },
  {
    invariant: 'I6',
    sql: `SELECT r.id, r.order_id, o.status FROM reservations r JOIN orders o ON o.id = r.order_id
          WHERE r.status = 'active' AND o.status NOT IN ('pending', 'confirmed')`,
    describe: (r) => `reservation ${r.id} still active for ${r.status} order ${r.order_id}`,
  },
  {
    invariant: 'I6',
    sql: `SELECT idempotency_key, COUNT(*) AS n FROM orders GROUP BY idempotency_key HAVING n > 1`,
    describe: (r) => `Idempotency-Key ${r.idempotency_key} has ${r.n} orders`,
  },
]

/** I1 (database side), I2, I3 (ledger side) and I6, as of one snapshot of the database. */
export async function checkStore(pool: Pool): Promise<{ violations: Violation[]; levels: StoredLevel[] }> {
  return inSnapshot(pool, async (conn) => {
    const violations: Violation[] = []
    for (const check of CHECKS) {
      const [rows] = await conn.query<RowDataPacket[]>(`${check.sql} LIMIT ${REPORT_LIMIT}`)
      for (const r of rows) violations.push({ invariant: check.invariant, detail: check.describe(r) })
    }
    const [levels] = await conn.query<
      (Row<typeof products, 'sku'> & Row<typeof locations, 'site' | 'code' | 'sellable'> & Row<typeof stockLevels, 'onHand' | 'reserved'>)[]
    >(
      `SELECT ${columns(products, ['sku'], 'p')}, ${columns(locations, ['site', 'code', 'sellable'], 'l')}, ${columns(stockLevels, ['onHand', 'reserved'], 's')}
       FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id`,
    )
    return {
      violations,
      levels: levels.map((r) => ({
        site: r.site,
        sku: r.sku,
        location: r.code,
        onHand: r.onHand,
        reserved: r.reserved,
        available: r.sellable ? r.onHand - r.reserved : 0,
      })),
    }
  })
}

export interface StoredLevel {
  site: string
  sku: string
  location: string
  onHand: number
  reserved: number
  /** What an order could reserve here: on hand less reserved at a reservable, active location, else 0. */
  available: number
}
