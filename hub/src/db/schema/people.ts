import { sql } from 'drizzle-orm'
import { boolean, char, check, datetime, index, int, mysqlTable, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'

/**
 * The people who sign in to the console. Only an argon2 hash of the password is kept. A disabled
 * account keeps its row, so the audit log can still name it; its sessions are deleted with it.
 */
export const users = mysqlTable(
  'users',
  {
    id: int('id').autoincrement().primaryKey(),
    /** Also the actor of every change the person makes. */
    username: varchar('username', { length: 64 }).notNull(),
    displayName: varchar('display_name', { length: 128 }).notNull(),
    role: varchar('role', { length: 16 }).notNull(),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    /** JSON array of the sites the person may see and act for; null for every site. */
    sites: text('sites'),
    active: boolean('active').notNull().default(true),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    passwordChangedAt: datetime('password_changed_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    lastSignInAt: datetime('last_sign_in_at', { fsp: 3 }),
  },
  (t) => [uniqueIndex('users_username').on(t.username), check('users_role', sql`role in ('viewer', 'supervisor', 'admin')`)],
)

/**
 * Console sessions, as @fastify/session stores them. Keyed by the session id's SHA-256, so a
 * database read does not hand out live cookies; `user_id` lets every session of a person end at
 * once (sign out everywhere, a password change, a disabled account).
 */
export const sessions = mysqlTable(
  'sessions',
  {
    idHash: char('id_hash', { length: 64 }).primaryKey(),
    userId: int('user_id'),
    data: text('data').notNull(),
    expiresAt: datetime('expires_at', { fsp: 3 }).notNull(),
    createdAt: datetime('created_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expiry').on(t.expiresAt)],
)

/**
 * A floor screen asking to be paired: it shows `code`, an admin enters the code in the console,
 * and the screen collects its key once with the secret only it holds (`claim_hash`).
 */
export const screenPairings = mysqlTable('screen_pairings', {
  code: char('code', { length: 8 }).primaryKey(),
  claimHash: char('claim_hash', { length: 64 }).notNull(),
  /** The issued key, sealed until the screen collects it; null before pairing and after collection. */
  sealedKey: varchar('sealed_key', { length: 255 }),
  apiKeyId: int('api_key_id'),
  expiresAt: datetime('expires_at', { fsp: 3 }).notNull(),
  createdAt: datetime('created_at', { fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
})
