import type { Statement } from '../db/statements.ts'
import { insertMovements, writeLevels, writeLots, type LotLedgerRow } from '../stock/ledger-writes.ts'
import { UNNAMED_LOT } from '../stock/lot-plan.ts'
import { auditStatement } from '../stock/audit-log.ts'
import { orderPickedStatements } from '../orders/order-events.ts'
import type { BatchPlan } from './batch-plan.ts'
import { officeAudit } from './office-audit.ts'

/** A scannedAt that MySQL's DATETIME can hold, else null (the server's created_at still orders it). */
function scannedAt(iso: string | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  const year = d.getUTCFullYear()
  return Number.isNaN(d.getTime()) || year < 1000 || year > 9999 ? null : d
}

/**
 * The statements that write a plan, set-based: one per table whatever the batch size, but for the
 * few reservations and PO lines a batch consumes or counts, which get one each (and the audit rows
 * of the office adjustments it settles).
 */
export function batchWrites(plan: BatchPlan): Statement[] {
  const statements: Statement[] = []
  if (plan.movements.length > 0) {
    statements.push(
      insertMovements(
        plan.movements.map(({ eventId, leg, productId, locationId, qtyDelta, onHandAfter, lot, item }) => ({
          eventId,
          leg,
          type: item.event.type,
          productId,
          locationId,
          qtyDelta,
          onHandAfter,
          deviceId: item.origin ? null : item.event.deviceId,
          deviceSeq: item.approval || item.origin ? null : item.event.deviceSeq,
          orderId: item.event.orderId,
          poNumber: item.poNumber,
          lot,
          reason: item.approval?.reason ?? item.event.reason,
          payloadHash: leg === 0 ? item.hash : null,
          triggeredBy: item.approval ? 'approval' : (item.origin ?? 'scan'),
          scannedAt: scannedAt(item.event.scannedAt),
        })),
      ),
    )
  }
  if (plan.held.length > 0) {
    statements.push({
      sql: `INSERT INTO held_events (event_id, device_id, product_id, location_id, reason_code, reason, payload, payload_hash) VALUES ?`,
      values: [
        plan.held.map(({ item, code, reason }) => [
          item.event.eventId,
          item.origin ? null : item.event.deviceId,
          item.productId,
          item.locationId,
          code,
          reason,
          JSON.stringify(item),
          item.hash,
        ]),
      ],
    })
  }
  for (const { reservationId, qty } of plan.consumed) {
    // status first: assignments run left to right, so it still sees the qty before the pick.
    statements.push({
      sql: `UPDATE reservations SET status = IF(qty <= ?, 'consumed', status), qty = qty - ? WHERE id = ?`,
      values: [qty, qty, reservationId],
    })
  }
  // Once the reservations are written: an order none of whose reservations holds stock is picked.
  statements.push(...orderPickedStatements(plan.pickedOrders))
  if (plan.changed.length > 0) statements.push(...writeLevels(plan.changed))
  statements.push(...writeLots(plan.changedLots, lotLedgerRows(plan)))
  for (const line of plan.changedPoLines)
    statements.push({ sql: `UPDATE po_lines SET qty_received = ? WHERE id = ?`, values: [line.received, line.id] })
  const audited = officeAudit(plan)
  if (audited.length > 0) statements.push(auditStatement(audited))
  return statements
}

/** The lot shares worth a row: all but those of legs that went wholly through the unnamed lot. */
function lotLedgerRows(plan: BatchPlan): LotLedgerRow[] {
  const legs = new Map<string, LotLedgerRow[]>()
  for (const m of plan.lotMovements) {
    const key = `${m.eventId}:${m.leg}`
    legs.set(key, [...(legs.get(key) ?? []), m])
  }
  const legDelta = new Map(plan.movements.map((m) => [`${m.eventId}:${m.leg}`, m.qtyDelta]))
  return [...legs].flatMap(([key, shares]) => {
    const [only] = shares
    const unnamedOnly = shares.length === 1 && only!.lot.code === UNNAMED_LOT && only!.qtyDelta === legDelta.get(key)
    return unnamedOnly ? [] : shares.filter((m) => m.qtyDelta !== 0)
  })
}
