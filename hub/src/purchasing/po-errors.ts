/**
 * What the purchase-order API refuses, by code. The app's error handler answers any error that
 * carries `statusCode` and `code` as `{error, code}`, so these need no handling in the routes.
 */
export const PoErrors = {
  PO_NOT_FOUND: { status: 404, message: 'No purchase order has this number' },
  DUPLICATE_SKU: { status: 400, message: 'A SKU may appear on one line only' },
  NOTHING_TO_CHANGE: { status: 400, message: 'The request changes nothing' },
  SAME_PO_NUMBER: { status: 400, message: 'The new PO number is the current one' },
  PO_NUMBER_TAKEN: { status: 409, message: 'The PO number is already in use' },
  PO_NOT_OPEN: { status: 409, message: 'Only an open purchase order can be changed this way' },
  PO_HAS_RECEIPTS: { status: 409, message: 'Stock was received against this purchase order' },
  QTY_BELOW_RECEIVED: { status: 409, message: 'A line cannot be ordered below what was received on it' },
  LINE_HAS_RECEIPTS: { status: 409, message: 'A line that stock was received on cannot be removed' },
  PO_NEEDS_A_LINE: { status: 409, message: 'A purchase order keeps at least one line' },
  TOO_MANY_LINES: { status: 422, message: 'A purchase order has at most 500 lines' },
  UNKNOWN_SKU: { status: 422, message: 'Unknown SKU' },
  UNKNOWN_SITE: { status: 422, message: 'No location is registered at this site' },
  NOT_ON_PO: { status: 422, message: 'The SKU is not on this purchase order' },
} as const

export type PoErrorCode = keyof typeof PoErrors

export class PoError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: PoErrorCode,
    detail?: string,
  ) {
    super(detail ? `${PoErrors[code].message}: ${detail}` : PoErrors[code].message)
    this.statusCode = PoErrors[code].status
  }
}
