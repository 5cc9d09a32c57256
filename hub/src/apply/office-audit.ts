import type { AuditEntry } from '../stock/audit-log.ts'
import type { BatchPlan } from './batch-plan.ts'

/**
 * The audit rows of the office adjustments a batch settles, written in its transaction, so the
 * person and the reason stand beside the movement (or the held event) each became. Settled once:
 * a duplicate or a replay was audited when first settled, and the approval of a held one is
 * audited as that approval.
 */
export function officeAudit(plan: BatchPlan): AuditEntry[] {
  const entries: AuditEntry[] = []
  for (const { item, ack } of plan.outcomes) {
    if (item.origin !== 'office' || item.approval || (ack.status !== 'applied' && ack.status !== 'held')) continue
    const { eventId, type, reason } = item.event
    const asked = { type, qty: item.qty, location: item.locationCode, lot: item.lot ?? null }
    const common = { entity: 'adjustment', entityId: eventId, actor: item.actor!, reason }
    const movement = plan.movements.find((m) => m.eventId === eventId)
    if (ack.status === 'held' || !movement) {
      entries.push({ ...common, action: 'hold', after: { ...asked, status: 'held', code: ack.code, why: ack.message } })
      continue
    }
    const lots = plan.lotMovements.filter((m) => m.eventId === eventId).map((m) => ({ lot: m.lot.code, qtyDelta: m.qtyDelta }))
    entries.push({
      ...common,
      action: 'apply',
      before: { onHand: movement.onHandAfter - movement.qtyDelta },
      after: { ...asked, onHand: movement.onHandAfter, qtyDelta: movement.qtyDelta, lots },
    })
  }
  return entries
}
