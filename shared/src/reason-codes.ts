import { ErrorCodes } from './errors/error-codes.ts'

/** The codes a device can hear back in a `rejected` or `held` ack: a part of the one error table. */
const REASONS = [
  'PAYLOAD_TOO_LARGE',
  'MALFORMED_JSON',
  'INVALID_EVENT',
  'UNKNOWN_DEVICE',
  'DEVICE_DISABLED',
  'DEVICE_MISMATCH',
  'WRONG_SITE',
  'BAD_SIGNATURE',
  'BAD_BARCODE',
  'QTY_MISMATCH',
  'UNKNOWN_BARCODE',
  'UNKNOWN_LOCATION',
  'PRODUCT_INACTIVE',
  'LOCATION_INACTIVE',
  'CONFLICT',
  'INSUFFICIENT_STOCK',
  'LOT_SHORT',
  'UNKNOWN_PO',
  'PO_NOT_OPEN',
  'NOT_ON_PO',
  'OVER_RECEIPT',
  'QTY_OUT_OF_RANGE',
  'APPLY_FAILED',
  'HELD_REJECTED',
] as const satisfies readonly (keyof typeof ErrorCodes)[]

export type ReasonCode = (typeof REASONS)[number]

/** Each reason with the text a handheld shows: the table's title. */
export const ReasonCodes = Object.fromEntries(REASONS.map((code) => [code, ErrorCodes[code].title])) as {
  readonly [C in ReasonCode]: (typeof ErrorCodes)[C]['title']
}
