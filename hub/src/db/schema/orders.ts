import { sql } from 'drizzle-orm'
import { bigint, char, check, datetime, index, int, mysqlTable, smallint, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { locationRef, productRef } from './catalog.ts'

/**
 * An ordering-site order: the stock it holds (its reservations) until it is confirmed and picked,
 * or cancelled, or it expires. The Idempotency-Key row and its stored response live here too, so
 * a retried request gets the answer of the first, whatever that was.
 */
export const orders = mysqlTable(
  'orders',
  {
    id: char('id', { length: 36 }).primaryKey(),
    idempotencyKey: varchar('idempotency_key', { length: 128 }).notNull(),
    /** SHA-256 of the request body: the same key with another body is refused (422). */
    requestHash: char('request_hash', { length: 64 }).notNull(),
    site: varchar('site', { length: 64 }).notNull(),
    status: varchar('status', { length: 16 }).notNull(),
    expiresAt: datetime('expires_at', { fsp: 3 }),
    /** The HTTP status and body answered to the first request, replayed to its retries. */
    responseStatus: smallint('response_status').notNull(),
    responseBody: text('response_body').notNull(),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    resolvedAt: datetime('resolved_at', { fsp: 3 }),
    /** Who placed it (`key:<id>` for an API key): an external reference is unique per client. */
    clientId: varchar('client_id', { length: 64 }),
    /** The shop's own order number; a create retried with the same reference finds the order. */
    externalRef: varchar('external_ref', { length: 128 }),
    /** How far the warehouse has got with it: null, `picked`, `packed`, `shipped`. */
    fulfilment: varchar('fulfilment', { length: 16 }),
    updatedAt: datetime('updated_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    uniqueIndex('orders_idempotency_key').on(t.idempotencyKey),
    uniqueIndex('orders_client_reference').on(t.clientId, t.externalRef),
    index('orders_site_created').on(t.site, t.createdAt),
    check('orders_fulfilment', sql`fulfilment in ('picked', 'packed', 'shipped')`),
    index('orders_status_expiry').on(t.status, t.expiresAt),
    check('orders_status', sql`status in ('pending', 'confirmed', 'cancelled', 'expired', 'rejected')`),
  ],
)

/** Stock an order holds at one location; `qty` is what it still holds (picks consume it). */
export const reservations = mysqlTable(
  'reservations',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    orderId: char('order_id', { length: 36 })
      .notNull()
      .references(() => orders.id),
    productId: productRef(),
    locationId: locationRef(),
    qty: int('qty').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('active'),
  },
  (t) => [
    uniqueIndex('reservations_order_product_location').on(t.orderId, t.productId, t.locationId),
    index('reservations_product_location').on(t.productId, t.locationId, t.status),
    check('reservations_qty_nonneg', sql`qty >= 0`),
    check('reservations_status', sql`status in ('active', 'released', 'consumed')`),
  ],
)
