import type { Readable } from 'node:stream'
import { and, desc, eq, gte, lt } from 'drizzle-orm'
import type { AuditEntryView, AuditFilter, AuditPage } from '@wh/shared'
import type { Database } from '../db/connection.ts'
import { auditLog } from '../db/schema/index.ts'
import { HubError } from '../errors.ts'
import { streamCsv } from '../import/csv-export.ts'

type AuditRow = typeof auditLog.$inferSelect

/** The recorded state, as it was recorded; text that is not JSON (none should be) is shown as it is. */
function parsed(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const toEntry = (r: AuditRow): AuditEntryView => ({
  id: r.id,
  entity: r.entity,
  entityId: r.entityId,
  action: r.action,
  actor: r.actor,
  reason: r.reason,
  before: parsed(r.before),
  after: parsed(r.after),
  createdAt: r.createdAt.toISOString(),
})

/** The filter as one condition (every member narrows); `before` pages on to older entries. */
function matching(filter: AuditFilter, before?: number) {
  const from = filter.from ? new Date(filter.from) : undefined
  const to = filter.to ? new Date(filter.to) : undefined
  if (from && to && !(from < to)) throw new HubError('BAD_REQUEST', 'from must be before to')
  return and(
    filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.actor ? eq(auditLog.actor, filter.actor) : undefined,
    from ? gte(auditLog.createdAt, from) : undefined,
    to ? lt(auditLog.createdAt, to) : undefined,
    before ? lt(auditLog.id, before) : undefined,
  )
}

const CSV_COLUMNS = {
  id: auditLog.id,
  created_at: auditLog.createdAt,
  actor: auditLog.actor,
  action: auditLog.action,
  entity: auditLog.entity,
  entity_id: auditLog.entityId,
  reason: auditLog.reason,
  before: auditLog.before,
  after: auditLog.after,
}

/** The audit log for supervisors: filtered, newest first, a page at a time or whole as CSV. */
export function createAuditHistory({ db, pool }: Database) {
  return {
    async page(filter: AuditFilter, limit: number, before?: number): Promise<AuditPage> {
      const rows = await db
        .select()
        .from(auditLog)
        .where(matching(filter, before))
        .orderBy(desc(auditLog.id))
        .limit(limit + 1)
      const items = rows.slice(0, limit).map(toEntry)
      return { items, next: rows.length > limit ? items.at(-1)!.id : null }
    },

    /** Every matching entry, newest first, streamed; before and after stay the JSON they were recorded as. */
    csv(filter: AuditFilter): Readable {
      // One query builder for both answers, so the file holds exactly what the pages list.
      const query = db.select(CSV_COLUMNS).from(auditLog).where(matching(filter)).orderBy(desc(auditLog.id)).toSQL()
      return streamCsv(pool, { sql: query.sql, values: query.params }, Object.keys(CSV_COLUMNS), undefined, { escapeFormulas: true })
    },
  }
}

export type AuditHistory = ReturnType<typeof createAuditHistory>
