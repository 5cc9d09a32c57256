/** Errors the HTTP API answers with, by code (pattern: fastify's createError table). */
export const HubErrors = {
  NOT_FOUND: { status: 404, message: 'Not found' },
  HELD_DECIDED: { status: 409, message: 'The held event has already been decided' },
  HELD_STILL_UNAPPLIABLE: { status: 409, message: 'The held event still cannot be applied as approved' },
  AT_IN_FUTURE: { status: 400, message: 'Stock as of a time can only be asked for the past' },
  MOVEMENT_IS_VOID: { status: 409, message: 'A void cannot be voided' },
  MOVEMENT_NOT_VOIDABLE: { status: 409, message: 'This kind of movement cannot be voided' },
  MOVEMENT_ALREADY_VOIDED: { status: 409, message: 'The movement is already voided' },
  INSUFFICIENT_STOCK: { status: 409, message: 'Not enough stock' },
  LOT_SHORT: { status: 409, message: 'A lot the movement went through no longer holds its stock' },
  // Purchase orders
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
  // Devices
  DEVICE_NOT_FOUND: { status: 404, message: 'No device has this id' },
  DEVICE_EXISTS: { status: 409, message: 'A device with this id is already registered (rotate its secret instead)' },
  // API keys
  UNAUTHENTICATED: { status: 401, message: 'A valid API key is required (Authorization: Bearer <key>)' },
  FORBIDDEN_ROLE: { status: 403, message: "This API key's role may not do this" },
  FORBIDDEN_SITE: { status: 403, message: 'This API key is not allowed for this site' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  API_KEY_NOT_FOUND: { status: 404, message: 'No API key has this id or prefix' },
  ADMIN_KEY_SCOPED: { status: 422, message: 'An admin key cannot be limited to sites' },
} as const

export type HubErrorCode = keyof typeof HubErrors

export class HubError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: HubErrorCode,
    detail?: string,
    /** Per-item particulars the client can act on (e.g. which level is short), sent as `details`. */
    readonly details?: readonly object[],
  ) {
    super(detail ? `${HubErrors[code].message}: ${detail}` : HubErrors[code].message)
    this.statusCode = HubErrors[code].status
  }
}
