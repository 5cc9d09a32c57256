import { sql } from 'drizzle-orm'
import { check, char, datetime, int, mysqlTable, text, varchar } from 'drizzle-orm/mysql-core'

/**
 * Each CSV file applied: its identity is its kind and content (the same file applied again is
 * the same import, so its opening stock rows keep their event ids), who applied it last, and for
 * opening stock where its rows stand in the partition inboxes, so its progress can be read.
 */
export const imports = mysqlTable(
  'imports',
  {
    id: char('id', { length: 36 }).primaryKey(),
    kind: varchar('kind', { length: 16 }).notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    rowCount: int('row_count').notNull(),
    actor: varchar('actor', { length: 64 }).notNull(),
    /** `applying` while opening stock rows are still in the partitions, then `applied`. */
    status: varchar('status', { length: 16 }).notNull(),
    /** Opening stock: JSON { partition: position of the import's last row in its inbox }. */
    positions: text('positions'),
    startedAt: datetime('started_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    finishedAt: datetime('finished_at', { fsp: 3 }),
  },
  () => [check('imports_status', sql`status in ('applying', 'applied')`)],
)
