import type { Db } from '../db/connection.ts'
import { auditLog } from '../db/schema/index.ts'
import type { Statement } from '../db/statements.ts'

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** One audited change: who did what to which entity, why, and the state before and after. */
export interface AuditEntry {
  entity: string
  entityId: string
  action: string
  actor: string
  reason?: string | null
  before?: unknown
  after?: unknown
}

/** audit_log.reason's width; the full text of a long reason stays in the entity's own record. */
const REASON_MAX = 500
const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value))

function auditRow(e: AuditEntry) {
  return {
    entity: e.entity,
    entityId: e.entityId,
    action: e.action,
    actor: e.actor,
    reason: e.reason == null ? null : e.reason.slice(0, REASON_MAX),
    before: json(e.before),
    after: json(e.after),
  }
}

/** The audit rows of a transaction run on a raw connection, one statement for all of them. */
export function auditStatement(entries: AuditEntry[]): Statement {
  return {
    sql: 'INSERT INTO audit_log (entity, entity_id, action, actor, reason, `before`, `after`) VALUES ?',
    values: [entries.map(auditRow).map((r) => [r.entity, r.entityId, r.action, r.actor, r.reason, r.before, r.after])],
  }
}

/** The audit rows of a drizzle transaction. */
export async function recordAudit(tx: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await tx.insert(auditLog).values(entries.map(auditRow))
}
