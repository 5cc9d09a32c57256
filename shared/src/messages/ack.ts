import Type, { type Static } from 'typebox'
import { EventIdSchema, IdentifierSchema, LocationCodeSchema } from './common.ts'

export const AckStatuses = ['applied', 'duplicate', 'held', 'rejected'] as const

/** The hub's answer on `wh/{site}/devices/{deviceId}/acks`, sent only once the outcome is durable. */
export const AckSchema = Type.Object(
  {
    /** Null when the message was too broken to carry one. */
    eventId: Type.Union([EventIdSchema, Type.Null()]),
    deviceSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    status: Type.Enum(AckStatuses),
    /** On a `duplicate`: how the event was settled the first time, for a device that missed that ack. */
    settledAs: Type.Optional(Type.Enum(['applied', 'held', 'rejected'])),
    code: Type.Optional(Type.String()),
    /** Set beside any status: the scan's own time (scannedAt) is far from the hub's clock; arrival ordered it. */
    warning: Type.Optional(Type.Enum(['SCANNED_AT_SKEWED'])),
    message: Type.Optional(Type.String()),
    sku: Type.Optional(Type.String()),
    location: Type.Optional(LocationCodeSchema),
    onHand: Type.Optional(Type.Integer()),
    available: Type.Optional(Type.Integer()),
    deviceId: Type.Optional(IdentifierSchema),
  },
  { additionalProperties: false },
)

export type Ack = Static<typeof AckSchema>
export type AckStatus = Ack['status']
