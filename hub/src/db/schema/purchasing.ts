import { sql } from 'drizzle-orm'
import { bigint, check, date, datetime, index, int, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { productRef } from './catalog.ts'

/** A purchase order; receiving against it counts up its lines in the receipt's transaction. */
export const purchaseOrders = mysqlTable(
  'purchase_orders',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    poNumber: varchar('po_number', { length: 64 }).notNull(),
    site: varchar('site', { length: 64 }).notNull(),
    supplier: varchar('supplier', { length: 200 }).notNull().default(''),
    status: varchar('status', { length: 16 }).notNull().default('open'),
    expectedAt: date('expected_at', { mode: 'string' }),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    updatedAt: datetime('updated_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    uniqueIndex('purchase_orders_number').on(t.poNumber),
    check('purchase_orders_status', sql`status in ('open', 'closed', 'cancelled')`),
  ],
)

export const poLines = mysqlTable(
  'po_lines',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    poId: bigint('po_id', { mode: 'number' })
      .notNull()
      .references(() => purchaseOrders.id),
    productId: productRef(),
    qtyOrdered: int('qty_ordered').notNull(),
    qtyReceived: int('qty_received').notNull().default(0),
  },
  (t) => [
    uniqueIndex('po_lines_po_product').on(t.poId, t.productId),
    check('po_lines_ordered_pos', sql`qty_ordered > 0`),
    check('po_lines_received_range', sql`qty_received >= 0 AND qty_received <= qty_ordered`),
  ],
)

/** Each reconciliation run: what it covered, what it found and corrected, how long it took. */
export const reconciliationRuns = mysqlTable(
  'reconciliation_runs',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    scope: varchar('scope', { length: 16 }).notNull(),
    trigger: varchar('trigger', { length: 32 }).notNull(),
    dryRun: int('dry_run').notNull().default(0),
    status: varchar('status', { length: 16 }).notNull().default('running'),
    productsChecked: int('products_checked').notNull().default(0),
    rowsChecked: bigint('rows_checked', { mode: 'number' }).notNull().default(0),
    discrepancies: int('discrepancies').notNull().default(0),
    corrections: int('corrections').notNull().default(0),
    /** JSON: discrepancies per check, and the first few found. */
    summary: varchar('summary', { length: 8000 }),
    error: varchar('error', { length: 500 }),
    startedAt: datetime('started_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    durationMs: int('duration_ms'),
  },
  (t) => [index('reconciliation_runs_started').on(t.startedAt), check('reconciliation_runs_scope', sql`scope in ('incremental', 'full')`)],
)
