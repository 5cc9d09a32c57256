import { sql } from 'drizzle-orm'
import { bigint, boolean, check, datetime, index, int, mysqlTable, primaryKey, uniqueIndex, varchar, char } from 'drizzle-orm/mysql-core'

/** A warehouse. Its code is what devices, locations, orders and API keys name it by. */
export const sites = mysqlTable('sites', {
  code: varchar('code', { length: 64 }).primaryKey(),
  name: varchar('name', { length: 200 }).notNull(),
  /** A deactivated site keeps its rows (the ledger references them) but takes no new stock. */
  active: boolean('active').notNull().default(true),
  createdAt: datetime('created_at', { fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
})

export const products = mysqlTable('products', {
  id: int('id').autoincrement().primaryKey(),
  sku: varchar('sku', { length: 64 }).notNull().unique(),
  name: varchar('name', { length: 200 }).notNull(),
  unit: varchar('unit', { length: 16 }).notNull().default('ea'),
  /** The default for sites without their own (`reorder_thresholds`). */
  reorderThreshold: int('reorder_threshold').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: datetime('created_at', { fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
})

/**
 * A product's barcodes: its unit, inner pack and case each have a GTIN, and scanning one moves
 * `qty` units (a case of 12 receives 12).
 */
export const productGtins = mysqlTable(
  'product_gtins',
  {
    /** Normalised GTIN-14; a GTIN-8/12/13 scan is padded to it. */
    gtin: char('gtin', { length: 14 }).primaryKey(),
    productId: int('product_id')
      .notNull()
      .references(() => products.id),
    qty: int('qty').notNull().default(1),
  },
  (t) => [index('product_gtins_product').on(t.productId), check('product_gtins_qty', sql`qty >= 1`)],
)

/** A product's low-stock threshold at one site, where it differs from the product's default. */
export const reorderThresholds = mysqlTable(
  'reorder_thresholds',
  {
    productId: int('product_id')
      .notNull()
      .references(() => products.id),
    site: varchar('site', { length: 64 })
      .notNull()
      .references(() => sites.code),
    threshold: int('threshold').notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.site] }), check('reorder_thresholds_nonneg', sql`threshold >= 0`)],
)

export const locations = mysqlTable(
  'locations',
  {
    id: int('id').autoincrement().primaryKey(),
    site: varchar('site', { length: 64 }).notNull(),
    code: varchar('code', { length: 64 }).notNull(),
    zone: varchar('zone', { length: 32 }).notNull().default(''),
    /** Pickers may take stock from here (a shipping lane or quarantine cage is not). */
    pickable: boolean('pickable').notNull().default(true),
    /** Orders may reserve stock here; only such stock counts as `available`. */
    reservable: boolean('reservable').notNull().default(true),
    active: boolean('active').notNull().default(true),
    /** Stock here counts as available: reservable, and not deactivated. One definition for every read. */
    sellable: boolean('sellable').generatedAlwaysAs(sql`reservable and active`, { mode: 'virtual' }),
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
