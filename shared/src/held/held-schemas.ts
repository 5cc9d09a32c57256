import Type, { type Static } from 'typebox'
import { EventTypes } from '../messages/scan-event.ts'
import { IdentifierSchema, MAX_QTY } from '../messages/common.ts'

const Reason = Type.String({ minLength: 1, maxLength: 500 })
/** Who decided, when not the API key's own name (the person at the admin tool). */

/** An event the hub could not apply as it was, and what became of it. */
export const HeldEventSchema = Type.Object({
  id: Type.Integer(),
  eventId: Type.String(),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  type: Type.Enum(EventTypes),
  sku: Type.String(),
  /** The site of the device that scanned it; its locations are that site's. */
  site: Type.String(),
  location: Type.String(),
  toLocation: Type.Optional(Type.String()),
  qty: Type.Integer(),
  orderId: Type.Optional(Type.String()),
  poNumber: Type.Optional(Type.String()),
  lot: Type.Optional(Type.String()),
  reasonCode: Type.String(),
  reason: Type.String(),
  status: Type.Enum(['pending', 'approved', 'rejected']),
  createdAt: Type.String({ format: 'date-time' }),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
})

export const HeldEventQuerySchema = Type.Object(
  {
    status: Type.Enum(['pending', 'approved', 'rejected'], { default: 'pending' }),
    /** Only this site's. */
    site: Type.Optional(IdentifierSchema),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    /** Keyset cursor: only events with a smaller id (the `next` of the previous page). */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)

export const HeldEventPageSchema = Type.Object({
  items: Type.Array(HeldEventSchema),
  next: Type.Union([Type.Integer(), Type.Null()]),
})

/**
 * Approving applies the event now, through the same checks a scan gets. The admin may first
 * record a count of the location (`countedOnHand`), change the quantity, or, for a receipt held
 * on its purchase order, receive it without the PO.
 */
export const ApproveHeldSchema = Type.Object(
  {
    reason: Reason,
    qty: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_QTY })),
    countedOnHand: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_QTY })),
    withoutPo: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const RejectHeldSchema = Type.Object({ reason: Reason }, { additionalProperties: false })

export const HeldDecisionSchema = Type.Object({
  held: HeldEventSchema,
  /** The stock at the event's location after the decision. */
  onHand: Type.Integer(),
  available: Type.Integer(),
})

export const HeldParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })

export type HeldEvent = Static<typeof HeldEventSchema>
export type HeldEventQuery = Static<typeof HeldEventQuerySchema>
export type HeldEventPage = Static<typeof HeldEventPageSchema>
export type ApproveHeld = Static<typeof ApproveHeldSchema>
export type RejectHeld = Static<typeof RejectHeldSchema>
export type HeldDecision = Static<typeof HeldDecisionSchema>
