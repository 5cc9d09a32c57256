import type { ReasonCode, ScanEvent } from '@wh/shared'

/**
 * The quantity an event moves: from the payload or the label's GS1 count (AI 37), which must
 * agree when both are given. A single scan of a unit means one; counts and adjustments must say.
 */
export function resolveQuantity(event: ScanEvent, labelQty: number | undefined): number | { code: ReasonCode; detail: string } {
  if (event.qty !== undefined && labelQty !== undefined && event.qty !== labelQty) {
    return { code: 'QTY_MISMATCH', detail: `qty ${event.qty}, label count ${labelQty}` }
  }
  const qty = event.qty ?? labelQty
  switch (event.type) {
    case 'count':
      if (qty === undefined || qty < 0) return { code: 'INVALID_EVENT', detail: 'a count needs a qty of 0 or more' }
      return qty
    case 'adjust':
      if (qty === undefined || qty === 0) return { code: 'INVALID_EVENT', detail: 'an adjust needs a non-zero signed qty' }
      if (!event.reason) return { code: 'INVALID_EVENT', detail: 'an adjust needs a reason' }
      return qty
    default:
      if ((qty ?? 1) < 1) return { code: 'INVALID_EVENT', detail: `a ${event.type} needs a qty of 1 or more` }
      return qty ?? 1
  }
}
