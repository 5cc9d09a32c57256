import type { ReasonCode } from '@wh/shared'

/** A purchase order named by the batch's receipts, with its lines, as locked by the batch. */
export interface PurchaseOrderState {
  number: string
  site: string
  status: string
  /** By product id. */
  lines: Map<number, PoLineState>
}

export interface PoLineState {
  id: number
  ordered: number
  received: number
}

/**
 * Counts a receipt against its PO line, or says why it must be held: an unknown PO (or one of
 * another site), one no longer open, a product not on it, or more than was ordered.
 */
export function receiveOnPo(
  po: PurchaseOrderState | undefined,
  receipt: { site: string; productId: number; qty: number },
): PoLineState | { code: ReasonCode; detail: string } {
  if (!po || po.site !== receipt.site) return { code: 'UNKNOWN_PO', detail: 'no such purchase order at this site' }
  if (po.status !== 'open') return { code: 'PO_NOT_OPEN', detail: `${po.number} is ${po.status}` }
  const line = po.lines.get(receipt.productId)
  if (!line) return { code: 'NOT_ON_PO', detail: `${po.number} has no line for this product` }
  if (line.received + receipt.qty > line.ordered) {
    return { code: 'OVER_RECEIPT', detail: `${po.number} ordered ${line.ordered}, received ${line.received}, this receipt ${receipt.qty}` }
  }
  line.received += receipt.qty
  return line
}
