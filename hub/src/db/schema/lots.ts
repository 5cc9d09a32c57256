import { sql } from 'drizzle-orm'
import { bigint, check, date, datetime, index, int, mysqlTable, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { locationRef, productRef } from './catalog.ts'

/**
 * Stock of one lot at one location. Every unit on hand is in exactly one lot (stock received
 * without a lot code is in the lot `''`), so the lots of a location always sum to its on_hand.
 */
export const lots = mysqlTable(
  'lots',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    productId: productRef(),
    locationId: locationRef(),
    /** Binary collation (set in the migration): `L1` and `l1` are different lots. */
    lotCode: varchar('lot_code', { length: 20 }).notNull().default(''),
    expiry: date('expiry', { mode: 'string' }),
    qty: int('qty').notNull().default(0),
    /** The PO the lot was first received against (denormalized: a PO renumber rewrites it). */
    poNumber: varchar('po_number', { length: 64 }),
    receivedAt: datetime('received_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    uniqueIndex('lots_product_location_code').on(t.productId, t.locationId, t.lotCode),
    index('lots_po').on(t.poNumber),
    check('lots_qty_nonneg', sql`qty >= 0`),
  ],
)

/** The lot ledger: how each movement leg split over lots (a FEFO pick may take from several). */
export const lotMovements = mysqlTable(
  'lot_movements',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    eventId: varchar('event_id', { length: 36 }).notNull(),
    leg: tinyint('leg').notNull().default(0),
    lotId: bigint('lot_id', { mode: 'number' })
      .notNull()
      .references(() => lots.id),
    qtyDelta: int('qty_delta').notNull(),
  },
  (t) => [index('lot_movements_event').on(t.eventId, t.leg), index('lot_movements_lot').on(t.lotId)],
)
