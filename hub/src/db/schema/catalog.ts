import { sql } from 'drizzle-orm'
import { bigint, boolean, check, datetime, int, mysqlTable, uniqueIndex, varchar, char } from 'drizzle-orm/mysql-core'

export const products = mysqlTable('products', {
  id: int('id').autoincrement().primaryKey(),
  sku: varchar('sku', { length: 64 }).notNull().unique(),
  /** Normalised GTIN-14; a GTIN-8/12/13 scan is padded to it. */
  gtin: char('gtin', { length: 14 }).unique(),
  name: varchar('name', { length: 200 }).notNull(),
  unit: varchar('unit', { length: 16 }).notNull().default('ea'),
  reorderThreshold: int('reorder_threshold').notNull().default(0),
  createdAt: datetime('created_at', { fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
})

export const locations = mysqlTable(
  'locations',
  {
    id: int('id').autoincrement().primaryKey(),
    site: varchar('site', { length: 64 }).notNull(),
    code: varchar('code', { length: 64 }).notNull(),
    zone: varchar('zone', { length: 32 }).notNull().default(''),
  },
  (t) => [uniqueIndex('locations_site_code').on(t.site, t.code)],
)

export const devices = mysqlTable(
  'devices',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    kind: varchar('kind', { length: 16 }).notNull().default('handheld'),
    site: varchar('site', { length: 64 }).notNull(),
    enabled: boolean('enabled').notNull().default(true),
    status: varchar('status', { length: 16 }).notNull().default('offline'),
    lastSeenAt: datetime('last_seen_at', { fsp: 3 }),
    lastDeviceSeq: bigint('last_device_seq', { mode: 'number' }).notNull().default(0),
    /**
     * The signing secret, AES-256-GCM sealed with the hub's key (HMAC needs the secret itself, so
     * it cannot be hashed). Null until registration or a rotation issues one: such a device cannot publish.
     */
    secretSealed: varchar('secret_sealed', { length: 255 }),
    secretRotatedAt: datetime('secret_rotated_at', { fsp: 3 }),
    registeredAt: datetime('registered_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  () => [check('devices_kind', sql`kind in ('handheld', 'fixed')`)],
)

/** The product and location a stock row belongs to; the same two columns in every stock table. */
export const productRef = () =>
  int('product_id')
    .notNull()
    .references(() => products.id)
export const locationRef = () =>
  int('location_id')
    .notNull()
    .references(() => locations.id)
