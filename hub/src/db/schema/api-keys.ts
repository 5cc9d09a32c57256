import { sql } from 'drizzle-orm'
import { char, check, datetime, int, mysqlTable, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'

/**
 * API keys of the HTTP API and floor-screen socket. The key itself is never stored: only its
 * prefix (to find the row) and the SHA-256 of the whole key (to check it). A revoked key keeps
 * its row, so lists and the audit log can still name it.
 */
export const apiKeys = mysqlTable(
  'api_keys',
  {
    id: int('id').autoincrement().primaryKey(),
    name: varchar('name', { length: 64 }).notNull(),
    role: varchar('role', { length: 16 }).notNull(),
    /** `api` for programs; `screen` for a floor screen paired from the console. */
    kind: varchar('kind', { length: 16 }).notNull().default('api'),
    /** 12 hex digits, the part of the key after `whk_`: unique, shown in lists and logs. */
    prefix: char('prefix', { length: 12 }).notNull(),
    /** SHA-256 of the full key, hex. */
    keyHash: char('key_hash', { length: 64 }).notNull(),
    /** JSON array of the sites the key is limited to; null for every site. */
    sites: text('sites'),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    /** Updated at most once a minute per key and instance, not on every request. */
    lastUsedAt: datetime('last_used_at', { fsp: 3 }),
    revokedAt: datetime('revoked_at', { fsp: 3 }),
  },
  (t) => [uniqueIndex('api_keys_prefix').on(t.prefix), check('api_keys_role', sql`role in ('viewer', 'orders', 'admin', 'metrics')`)],
)
