import type { Pool } from 'mysql2/promise'
import type { PurchaseOrder, RenumberResult } from '@wh/shared'
import { purchaseOrders } from '../db/schema/index.ts'
import { inTransaction } from '../db/transaction.ts'
import { columns, type Aggregate, type Row } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { renumberPoStock } from '../stock/ledger-writes.ts'
import { audit, describe, DUPLICATE_KEY, hasReceipts, lockPo, readLines, snapshot } from './po-rows.ts'

export interface AdminAction {
  actor: string
  reason?: string
}

/**
 * The end of a PO's life, and its renumbering. Close is for a PO that received stock (the
 * receipts stay linked to it); cancel and delete only for one that never did, so no lot or
 * ledger row is ever left pointing at a PO that is not there.
 */
export function createPoLifecycle(pool: Pool) {
  /** Moves an open PO to `to`; `guard` may refuse under the PO's lock. */
  async function endOpen(poNumber: string, to: 'closed' | 'cancelled', action: AdminAction, guard?: typeof hasReceipts) {
    return inTransaction(pool, async (conn): Promise<PurchaseOrder> => {
      const po = await lockPo(conn, poNumber)
      if (po.status !== 'open') throw new HubError('PO_NOT_OPEN', `${poNumber} is already ${po.status}`)
      if (guard && (await guard(conn, po))) throw new HubError('PO_HAS_RECEIPTS', `${poNumber} has receipts: close it instead`)
      await conn.query('UPDATE purchase_orders SET status = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?', [to, po.id])
      const [after, lines] = [await lockPo(conn, poNumber), await readLines(conn, po.id)]
      await audit(conn, {
        poId: po.id,
        action: to === 'closed' ? 'close' : 'cancel',
        actor: action.actor,
        reason: action.reason,
        before: { status: po.status },
        after: snapshot(after, lines),
      })
      return describe(after, lines)
    })
  }

  return {
    /** Open to closed: nothing more is received against it; what was received stays linked. */
    close: (poNumber: string, action: AdminAction) => endOpen(poNumber, 'closed', action),

    /** Open to cancelled, only if nothing was ever received against it. */
    cancel: (poNumber: string, action: AdminAction) => endOpen(poNumber, 'cancelled', action, hasReceipts),

    /** Removes a PO (any status) that nothing was ever received against; its last state stays in the audit log. */
    async remove(poNumber: string, action: AdminAction): Promise<void> {
      await inTransaction(pool, async (conn) => {
        const po = await lockPo(conn, poNumber)
        if (await hasReceipts(conn, po)) throw new HubError('PO_HAS_RECEIPTS', `${poNumber} has receipts: close it instead`)
        const lines = await readLines(conn, po.id, true)
        await conn.query('DELETE FROM po_lines WHERE po_id = ?', [po.id])
        await conn.query('DELETE FROM purchase_orders WHERE id = ?', [po.id])
        await audit(conn, {
          poId: po.id,
          action: 'delete',
          actor: action.actor,
          reason: action.reason,
          before: snapshot(po, lines),
          after: null,
        })
      })
    },

    /**
     * Gives a PO a new number, and every lot and ledger row that carries the old one, in one
     * transaction: the references never disagree, which is what the seed system's "PO number
     * auto-sync" wanted and got only eventually, through hooks and a resync script.
     *
     * The ledger is otherwise append-only. `stock_movements.po_number` is a denormalized reference
     * (a copy of the PO's current number, kept for indexed lookups), not a fact about the movement:
     * rewriting it changes no quantity, level or cache entry. The audit row records the old and new
     * number and how many rows were rewritten.
     *
     * A receipt racing the renumber either commits first (and is rewritten here: the UPDATEs read
     * the latest committed rows) or finds the old number gone once this commits.
     */
    async renumber(poNumber: string, newPoNumber: string, action: AdminAction & { reason: string }): Promise<RenumberResult> {
      if (newPoNumber === poNumber) throw new HubError('SAME_PO_NUMBER', poNumber)
      return inTransaction(pool, async (conn) => {
        const po = await lockPo(conn, poNumber)
        const [[taken]] = await conn.query<Row<typeof purchaseOrders, 'id'>[]>(
          `SELECT ${columns(purchaseOrders, ['id'])} FROM purchase_orders WHERE po_number = ? FOR UPDATE`,
          [newPoNumber],
        )
        if (taken) throw new HubError('PO_NUMBER_TAKEN', `${newPoNumber} is another purchase order`)
        // Lots or movements may carry a number no PO has (stock received before its PO was entered).
        // Taking that number would merge their history into this PO's, beyond any later renumber's undoing.
        const [[orphans]] = await conn.query<Aggregate<'used'>[]>(
          `SELECT EXISTS(SELECT 1 FROM stock_movements WHERE po_number = ?) OR EXISTS(SELECT 1 FROM lots WHERE po_number = ?) AS used`,
          [newPoNumber, newPoNumber],
        )
        if (Number(orphans!.used) === 1) throw new HubError('PO_NUMBER_TAKEN', `${newPoNumber} is on existing lots or movements`)
        try {
          await conn.query('UPDATE purchase_orders SET po_number = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?', [newPoNumber, po.id])
        } catch (err) {
          // A create with the new number committed after the check above.
          if ((err as { errno?: number }).errno === DUPLICATE_KEY) throw new HubError('PO_NUMBER_TAKEN', newPoNumber)
          throw err
        }
        // The pool turns FOUND_ROWS off, so affectedRows counts rows changed: here, every row matched.
        const rewritten = await renumberPoStock(conn, poNumber, newPoNumber)
        await audit(conn, {
          poId: po.id,
          action: 'renumber',
          actor: action.actor,
          reason: action.reason,
          before: { poNumber },
          after: { poNumber: newPoNumber, rewritten },
        })
        return { poNumber: newPoNumber, previousPoNumber: poNumber, rewritten }
      })
    },
  }
}

export type PoLifecycle = ReturnType<typeof createPoLifecycle>
