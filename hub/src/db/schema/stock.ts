import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  char,
  datetime,
  index,
  int,
  mysqlTable,
  primaryKey,
  text,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import { locationRef, locations, productRef, products } from './catalog.ts'

/** The projection of the ledger, updated in the same transaction as each ledger row. */
export const stockLevels = mysqlTable(
  'stock_levels',
  {
    productId: productRef(),
    locationId: locationRef(),
    onHand: int('on_hand').notNull().default(0),
    reserved: int('reserved').notNull().default(0),
    /** Bumped on every change; guards the Redis cache against a late writer. */
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    updatedAt: datetime('updated_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.locationId] }),
    // The last wall behind the conditional updates (Jepsen: MySQL loses updates on read-then-write).
    check('stock_on_hand_nonneg', sql`on_hand >= 0`),
    check('stock_reserved_nonneg', sql`reserved >= 0`),
    check('stock_reserved_le_on_hand', sql`reserved <= on_hand`),
  ],
)

/** The append-only ledger. A move writes two legs (0: out of the source, 1: into the target). */
export const stockMovements = mysqlTable(
  'stock_movements',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    eventId: varchar('event_id', { length: 36 }).notNull(),
    leg: tinyint('leg').notNull().default(0),
    type: varchar('type', { length: 16 }).notNull(),
    productId: productRef(),
    locationId: locationRef(),
    qtyDelta: int('qty_delta').notNull(),
    onHandAfter: int('on_hand_after').notNull(),
    deviceId: varchar('device_id', { length: 64 }),
    deviceSeq: bigint('device_seq', { mode: 'number' }),
    orderId: varchar('order_id', { length: 64 }),
    poNumber: varchar('po_number', { length: 64 }),
    lot: varchar('lot', { length: 20 }),
    reason: varchar('reason', { length: 200 }),
    /** SHA-256 of the canonical event; the same id with another hash is a conflict. */
    payloadHash: char('payload_hash', { length: 64 }),
    triggeredBy: varchar('triggered_by', { length: 32 }).notNull().default('scan'),
    /** The movement this one compensates (a void); unique, so a movement is voided at most once. */
    voidsMovementId: bigint('voids_movement_id', { mode: 'number' }).unique(),
    scannedAt: datetime('scanned_at', { fsp: 3 }),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    uniqueIndex('movements_event_leg').on(t.eventId, t.leg),
    // Covers the per-level ledger sums reconciliation and `?at=` run, so they never touch the rows.
    index('movements_level_sum').on(t.productId, t.locationId, t.createdAt, t.qtyDelta),
    index('movements_po').on(t.poNumber),
  ],
)

/**
 * Per stock level, the ledger's sum over its rows up to `through_at`, kept by incremental
 * reconciliation so that a run sums only the rows after it, not the level's whole history. The
 * ledger is append-only, so the sum of its settled rows never changes. No foreign keys: a
 * checkpoint's insert must not lock the catalog rows that scans check theirs against.
 */
export const ledgerCheckpoints = mysqlTable(
  'ledger_checkpoints',
  {
    productId: int('product_id').notNull(),
    locationId: int('location_id').notNull(),
    throughAt: datetime('through_at', { fsp: 3 }).notNull(),
    qtySum: bigint('qty_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.locationId] })],
)

/** Events that could not be applied as they are, pending an admin's decision. */
export const heldEvents = mysqlTable(
  'held_events',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    eventId: varchar('event_id', { length: 36 }).notNull().unique(),
    deviceId: varchar('device_id', { length: 64 }),
    productId: int('product_id').references(() => products.id),
    locationId: int('location_id').references(() => locations.id),
    reasonCode: varchar('reason_code', { length: 32 }).notNull(),
    reason: varchar('reason', { length: 500 }).notNull(),
    payload: text('payload').notNull(),
    payloadHash: char('payload_hash', { length: 64 }).notNull(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    /** The admin's decision: who, when and why. */
    decidedBy: varchar('decided_by', { length: 64 }),
    decidedAt: datetime('decided_at', { fsp: 3 }),
    decisionReason: varchar('decision_reason', { length: 500 }),
  },
  (t) => [index('held_status').on(t.status, t.id), check('held_events_status', sql`status in ('pending', 'approved', 'rejected')`)],
)

/** Every correction, approval, void and admin change: before, after, actor, why. */
export const auditLog = mysqlTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    entity: varchar('entity', { length: 32 }).notNull(),
    entityId: varchar('entity_id', { length: 128 }).notNull(),
    action: varchar('action', { length: 32 }).notNull(),
    actor: varchar('actor', { length: 64 }).notNull(),
    reason: varchar('reason', { length: 500 }),
    before: text('before'),
    after: text('after'),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    index('audit_entity').on(t.entity, t.entityId),
    index('audit_actor').on(t.actor, t.createdAt),
    index('audit_time').on(t.createdAt),
  ],
)
