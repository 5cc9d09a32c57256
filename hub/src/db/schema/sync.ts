import { sql } from 'drizzle-orm'
import { bigint, boolean, char, check, datetime, index, int, mysqlTable, smallint, text, varchar } from 'drizzle-orm/mysql-core'

/**
 * One row per stock level written, in the writer's own transaction (the stock core's
 * `writeLevels`): the durable, ordered record of what changed, which the changes feed pages
 * through and webhook fan-out reads. `seq` is global across sites. Rows are pruned after the
 * retention (a cursor older than that gets 410). No foreign keys, like the checkpoints: an insert
 * must not lock the catalog rows scans check theirs against.
 */
export const stockChanges = mysqlTable(
  'stock_changes',
  {
    seq: bigint('seq', { mode: 'number' }).autoincrement().primaryKey(),
    productId: int('product_id').notNull(),
    locationId: int('location_id').notNull(),
    onHand: int('on_hand').notNull(),
    reserved: int('reserved').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    changedAt: datetime('changed_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    index('stock_changes_time').on(t.changedAt),
    // A level's latest change, for the invariant check that the log never missed a write.
    index('stock_changes_level').on(t.productId, t.locationId, t.seq),
  ],
)

/** Small named counters shared by every hub instance: cursors and horizons (see each user). */
export const syncState = mysqlTable('sync_state', {
  name: varchar('name', { length: 64 }).primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull().default(0),
  updatedAt: datetime('updated_at', { fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
})

/**
 * A storefront's (or ERP's) webhook endpoint: one site, optionally only some SKUs, and which kinds
 * of event it hears. Its signing secret is sealed like a device's. Paused by hand or when its
 * endpoint has failed for too long; a paused subscription keeps collecting (coalesced) messages.
 */
export const webhookSubscriptions = mysqlTable(
  'webhook_subscriptions',
  {
    id: int('id').autoincrement().primaryKey(),
    name: varchar('name', { length: 128 }).notNull(),
    site: varchar('site', { length: 64 }).notNull(),
    url: varchar('url', { length: 2048 }).notNull(),
    /** JSON array of SKUs; null for every SKU of the site. */
    skus: text('skus'),
    /** JSON array of event families: `stock`, `orders`. */
    events: varchar('events', { length: 64 }).notNull().default('["stock"]'),
    /** The Standard Webhooks secret (`whsec_…`), sealed. */
    secretSealed: varchar('secret_sealed', { length: 255 }).notNull(),
    status: varchar('status', { length: 16 }).notNull().default('active'),
    pausedReason: varchar('paused_reason', { length: 500 }),
    /** Since when its deliveries have failed without one success; null while healthy. */
    failingSince: datetime('failing_since', { fsp: 3 }),
    createdBy: varchar('created_by', { length: 64 }).notNull(),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    updatedAt: datetime('updated_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    index('webhook_subscriptions_site').on(t.site, t.status),
    check('webhook_subscriptions_status', sql`status in ('active', 'paused', 'deleted')`),
  ],
)

/**
 * The delivery log and queue in one: each message a subscription is owed, delivered in `id` order
 * per subscription (so per SKU and per order), its attempts and last answer. `msg_id` is the
 * `webhook-id` header, the same on every attempt and replay, for the receiver to deduplicate.
 */
export const webhookMessages = mysqlTable(
  'webhook_messages',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    subscriptionId: int('subscription_id').notNull(),
    msgId: varchar('msg_id', { length: 64 }).notNull(),
    /** `stock.changed`, `stock.synced`, `order.reserved`, … */
    type: varchar('type', { length: 32 }).notNull(),
    /** The highest stock change seq the message carries (stock messages), for replay by range. */
    seq: bigint('seq', { mode: 'number' }),
    /** The JSON body as sent. */
    payload: text('payload').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    lastStatus: smallint('last_status'),
    lastError: varchar('last_error', { length: 500 }),
    lastAttemptAt: datetime('last_attempt_at', { fsp: 3 }),
    deliveredAt: datetime('delivered_at', { fsp: 3 }),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    index('webhook_messages_queue').on(t.subscriptionId, t.status, t.id),
    index('webhook_messages_seq').on(t.subscriptionId, t.seq),
    check('webhook_messages_status', sql`status in ('pending', 'delivered', 'dead')`),
  ],
)

/** Each full sync of a site's stock to its subscriptions: why, what it sent, or why it was skipped. */
export const syncRuns = mysqlTable(
  'sync_runs',
  {
    id: int('id').autoincrement().primaryKey(),
    site: varchar('site', { length: 64 }).notNull(),
    /** `changed` (a product added or deactivated), `fallback` (the 12-hour timer), `forced` (asked for). */
    reason: varchar('reason', { length: 16 }).notNull(),
    skipped: boolean('skipped').notNull().default(false),
    skus: int('skus').notNull().default(0),
    subscriptions: int('subscriptions').notNull().default(0),
    messages: int('messages').notNull().default(0),
    /** The stock change seq and catalog version the run saw: the next run is skipped if both are unchanged. */
    throughSeq: bigint('through_seq', { mode: 'number' }).notNull().default(0),
    catalogVersion: char('catalog_version', { length: 64 }),
    requestedBy: varchar('requested_by', { length: 64 }).notNull(),
    startedAt: datetime('started_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    finishedAt: datetime('finished_at', { fsp: 3 }),
  },
  (t) => [index('sync_runs_site').on(t.site, t.id), check('sync_runs_reason', sql`reason in ('changed', 'fallback', 'forced')`)],
)
