import Type, { type Static } from 'typebox'
import { EventTypes } from '../messages/scan-event.ts'
import { IdentifierSchema, MAX_QTY } from '../messages/common.ts'
import { ProblemSchema } from '../errors/problem-schemas.ts'

const Reason = Type.String({ minLength: 1, maxLength: 500 })

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
  /** The stock of the event's product at its location now, as the one deciding needs it. */
  stockNow: Type.Object({ onHand: Type.Integer(), available: Type.Integer() }),
})

export const HeldEventQuerySchema = Type.Object(
  {
    /** `decided`: approved or rejected. */
    status: Type.Enum(['pending', 'approved', 'rejected', 'decided'], { default: 'pending' }),
    /** Only this site's. */
    site: Type.Optional(IdentifierSchema),
    /** `oldest` first is the order a queue is worked in. */
    order: Type.Enum(['newest', 'oldest'], { default: 'newest' }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    /** Keyset cursor, newest first: only events with a smaller id (the `next` of the previous page). */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Keyset cursor, oldest first: only events with a larger id (the `next` of the previous page). */
    after: Type.Optional(Type.Integer({ minimum: 0 })),
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

/**
 * One decision of several sent together: an approval (with the options of ApproveHeld) or a
 * rejection (a reason only). One object rather than a union, so a refusal names the one field at fault.
 */
export const HeldDecisionItemSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    action: Type.Enum(['approve', 'reject']),
    ...ApproveHeldSchema.properties,
  },
  { additionalProperties: false },
)

/** Several decisions, each made on its own (one refused leaves the others); a held event at most once. */
export const HeldDecisionsSchema = Type.Object(
  { decisions: Type.Array(HeldDecisionItemSchema, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
)

/** Each decision's outcome, in the order sent: what it did, or the refusal it would have had alone. */
export const HeldDecisionResultsSchema = Type.Object({
  results: Type.Array(
    Type.Union([
      Type.Object({ id: Type.Integer(), outcome: Type.Literal('decided'), decision: HeldDecisionSchema }),
      Type.Object({ id: Type.Integer(), outcome: Type.Literal('refused'), problem: ProblemSchema }),
    ]),
  ),
})

export const HeldParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })

export type HeldEvent = Static<typeof HeldEventSchema>
export type HeldEventQuery = Static<typeof HeldEventQuerySchema>
export type HeldEventPage = Static<typeof HeldEventPageSchema>
export type ApproveHeld = Static<typeof ApproveHeldSchema>
export type RejectHeld = Static<typeof RejectHeldSchema>
export type HeldDecision = Static<typeof HeldDecisionSchema>
export type HeldDecisionItem = Static<typeof HeldDecisionItemSchema>
export type HeldDecisions = Static<typeof HeldDecisionsSchema>
export type HeldDecisionResults = Static<typeof HeldDecisionResultsSchema>
