/**
 * Every reason a device can hear back, with the text a handheld shows. One table, so the hub,
 * the devices and the dashboard agree on codes (pattern: fastify's createError code table).
 */
export const ReasonCodes = {
  PAYLOAD_TOO_LARGE: 'The message is larger than the hub accepts',
  MALFORMED_JSON: 'The message is not valid JSON',
  INVALID_EVENT: 'The event does not match the scan event schema',
  UNKNOWN_DEVICE: 'The device is not registered',
  DEVICE_DISABLED: 'The device is disabled',
  DEVICE_MISMATCH: 'The payload deviceId does not match the topic',
  WRONG_SITE: 'The device or location belongs to another site',
  BAD_SIGNATURE: "The event is not signed with the device's current secret",
  BAD_BARCODE: 'The barcode cannot be decoded',
  QTY_MISMATCH: 'The payload qty disagrees with the GS1 count (AI 37)',
  UNKNOWN_BARCODE: 'No product has this barcode',
  UNKNOWN_LOCATION: 'No location has this code at the device site',
  CONFLICT: 'This eventId was already used with a different payload',
  INSUFFICIENT_STOCK: 'Not enough available stock at the location',
  LOT_SHORT: 'The named lot does not hold that much at the location',
  UNKNOWN_PO: 'No purchase order has this number at the device site',
  PO_NOT_OPEN: 'The purchase order is closed or cancelled',
  NOT_ON_PO: 'The product is not on the purchase order',
  OVER_RECEIPT: 'The receipt would exceed the quantity ordered',
  QTY_OUT_OF_RANGE: 'The stock would pass the largest quantity the hub can record',
  APPLY_FAILED: 'The hub could not apply the event and set it aside for an admin',
  HELD_REJECTED: 'An admin rejected the held event',
} as const

export type ReasonCode = keyof typeof ReasonCodes
