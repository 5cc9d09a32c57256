import Type, { type Static } from 'typebox'
import { EventIdSchema, IdentifierSchema, LocationCodeSchema, MAX_QTY } from './common.ts'

export const EventTypes = ['receive', 'pick', 'count', 'move', 'adjust'] as const

/** Free text shown on floor screens: no control, zero-width or bidi-override characters that could spoof it. */
export const FreeText = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f\\u200b-\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]*$' })

/** A scan as a device publishes it on `wh/{site}/devices/{deviceId}/events`. */
export const ScanEventSchema = Type.Object(
  {
    eventId: EventIdSchema,
    deviceId: IdentifierSchema,
    deviceSeq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    type: Type.Enum(EventTypes),
    barcode: Type.String({ minLength: 1, maxLength: 256 }),
    location: LocationCodeSchema,
    toLocation: Type.Optional(LocationCodeSchema),
    /** How many of what `barcode` names (a case barcode counts cases); for `count` the absolute quantity, for `adjust` a signed delta. */
    qty: Type.Optional(Type.Integer({ minimum: -MAX_QTY, maximum: MAX_QTY })),
    orderId: Type.Optional(IdentifierSchema),
    poNumber: Type.Optional(IdentifierSchema),
    lot: Type.Optional(FreeText(20)),
    expiry: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    reason: Type.Optional(FreeText(200)),
    scannedAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    signature: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
  },
  { additionalProperties: false },
)

export type ScanEvent = Static<typeof ScanEventSchema>
export type EventType = ScanEvent['type']
