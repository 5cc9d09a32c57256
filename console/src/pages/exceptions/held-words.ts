import type { HeldEvent } from '@wh/shared'
import { ErrorCodes, isErrorCode } from '@wh/shared/errors'

/** What the scan was, in one line: "Pick 5 × P-1 at A-01 for order 42". */
export function eventLine(h: HeldEvent): string {
  const what = `${h.qty} × ${h.sku}`
  const base = {
    pick: `Pick ${what} at ${h.location}`,
    receive: `Receive ${what} at ${h.location}`,
    count: `Count ${what} at ${h.location}`,
    adjust: `Adjust ${h.sku} by ${h.qty} at ${h.location}`,
    move: `Move ${what} from ${h.location} to ${h.toLocation ?? '?'}`,
  }[h.type]
  const extras = [h.orderId && `for order ${h.orderId}`, h.poNumber && `on ${h.poNumber}`, h.lot && `lot ${h.lot}`]
  return [base, ...extras.filter(Boolean)].join(' ')
}

/** The short-stock sentence: the figures are the location's now, which is what a decision meets. */
function short(h: HeldEvent): string {
  const { onHand, available } = h.stockNow
  const reserved = onHand - available
  const split = reserved > 0 ? ` (${onHand} on hand, ${reserved} reserved for orders)` : ''
  switch (h.type) {
    case 'count':
      return `Counted ${h.qty} at ${h.location}, but ${reserved} there are reserved for orders: a count below what is reserved needs a decision.`
    case 'adjust':
      return `Adjusting by ${h.qty} would leave ${h.location} with less than the ${reserved} reserved for orders (${onHand} on hand).`
    default: {
      const verb = h.type === 'move' ? 'Moved' : 'Picked'
      if (available >= h.qty) {
        return `${verb} ${h.qty} when the system showed too few at ${h.location}; ${available} are available there now, so it can be approved as it is.`
      }
      return `${verb} ${h.qty} but the system shows only ${available} available at ${h.location}${split}.`
    }
  }
}

/**
 * Why the hub held the event, as a sentence a supervisor reads at a glance. Written here because
 * the hub's reason is a code and terse figures for the log; the hub's own text is shown beside.
 */
export function explain(h: HeldEvent): string {
  const po = h.poNumber ?? 'its purchase order'
  switch (h.reasonCode) {
    case 'INSUFFICIENT_STOCK':
      return short(h)
    case 'LOT_SHORT':
      return `Took ${h.qty} from lot ${h.lot ?? '?'} at ${h.location}, but the system shows less than that in the lot.`
    case 'QTY_OUT_OF_RANGE':
      return `This would put more at ${h.toLocation ?? h.location} than the hub can record for one location.`
    case 'UNKNOWN_PO':
      return `Received ${h.qty} against ${po}, but this site has no purchase order with that number. Approve without the PO to take the stock in anyway.`
    case 'PO_NOT_OPEN':
      return `Received ${h.qty} against ${po}, but that purchase order is closed or cancelled.`
    case 'NOT_ON_PO':
      return `Received ${h.qty} × ${h.sku} against ${po}, but it has no line for this product.`
    case 'OVER_RECEIPT':
      return `Received ${h.qty} against ${po}, more than is still to come on its line.`
    case 'APPLY_FAILED':
      return 'The hub could not write this event: the database refused it. Approve to try again, or reject it.'
    default:
      return h.reason
  }
}

/** A refusal in the hub's words: its code's title, then what it said of this case. */
export function refusal(code: string, detail: string | undefined): string {
  const title = isErrorCode(code) ? ErrorCodes[code].title : ''
  if (!title || !detail || detail === title) return detail || title || code
  return `${title}: ${detail}`
}
