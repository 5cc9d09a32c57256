import { MAX_QTY, type ReasonCode, type ScanEvent } from '@wh/shared'

/**
 * How many of what was scanned the event moves: from the payload or the label's GS1 count (AI
 * 37), which must agree when both are given. A single scan means one; counts and adjustments
 * must say. A case barcode counts cases: `packUnits` turns them into units.
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

/**
 * The units an event moves: its count times the units one scan of the barcode stands for (4
 * cases of 12 are 48). Past MAX_QTY it is refused at ingest, as no movement may be that large.
 */
export function packUnits(count: number, packQty: number): number | { code: ReasonCode; detail: string } {
  const units = count * packQty
  if (Math.abs(units) > MAX_QTY) return { code: 'QTY_OUT_OF_RANGE', detail: `${count} x ${packQty} units is more than ${MAX_QTY}` }
  return units
}
