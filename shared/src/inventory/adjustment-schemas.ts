import Type, { type Static, type TSchema } from 'typebox'
import { EventIdSchema, IdentifierSchema, LocationCodeSchema, MAX_QTY } from '../messages/common.ts'
import { FreeText } from '../messages/scan-event.ts'
import { SkuSchema } from '../ordering/ordering-schemas.ts'
import { MovementSchema } from './history-schemas.ts'

/** An office adjustment: a supervisor's change of stock, applied as a movement like a scan's. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A lot code as the stock import takes one: printable ASCII without spaces (the lots table's width). */
const LotCodeSchema = Type.String({ minLength: 1, maxLength: 20, pattern: '^[\\x21-\\x7e]*$' })

const AdjustmentKinds = ['set', 'change'] as const

export const AdjustmentRequestSchema = Type.Object(
  {
    /** Made by the client once per adjustment (a UUID) and sent again on a retry: the same id and body get the first answer. */
    id: EventIdSchema,
    site: IdentifierSchema,
    sku: SkuSchema,
    location: LocationCodeSchema,
    kind: Type.Enum(AdjustmentKinds, {
      description: '`set`: the location now holds `qty` (a count); `change`: `qty` more, or fewer when negative (an adjust)',
    }),
    qty: Type.Integer({ minimum: -MAX_QTY, maximum: MAX_QTY }),
    /** The lot the difference goes into or comes out of (else the unnamed lot in, first-expiry-first out). */
    lot: Type.Optional(LotCodeSchema),
    expiry: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The expiry of a lot this creates' })),
    /** Why; kept on the movement and in the audit log, and shown as a scan's reason is (so no spoofing characters). */
    reason: FreeText(200),
  },
  {
    additionalProperties: false,
    examples: [
      {
        id: '0190f3a4-7b1c-7d2e-8f00-1a2b3c4d5e6f',
        site: 'dc1',
        sku: 'SKU-01S',
        location: 'A-01',
        kind: 'set',
        qty: 12,
        reason: 'counted at the shelf',
      },
    ],
  },
)

const AdjustmentStatuses = ['pending', 'applied', 'held', 'rejected'] as const

/** What became of an adjustment: its movement once applied, or why the stock core held it. */
export const AdjustmentSchema = Type.Object({
  id: Type.String({ description: "The client's id of the adjustment" }),
  eventId: Type.String({ description: 'The event it went through the stock core as: its movement and held event carry it' }),
  site: Type.String(),
  sku: Type.String(),
  location: Type.String(),
  kind: Type.Enum(AdjustmentKinds),
  qty: Type.Integer(),
  lot: Nullable(Type.String()),
  reason: Type.String(),
  actor: Type.String({ description: 'Who made it' }),
  status: Type.Enum(AdjustmentStatuses, {
    description:
      '`pending`: queued, not applied yet (send the same request again to learn more); `applied`: see `movement`; ' +
      '`held`: the stock core held it for a decision (see `held`); `rejected`: held, then rejected',
  }),
  movement: Nullable(MovementSchema),
  held: Nullable(
    Type.Object({
      id: Type.Integer({ description: 'The held event (GET /api/held-events/{id})' }),
      reasonCode: Type.String(),
      reason: Type.String(),
    }),
  ),
})

export type AdjustmentRequest = Static<typeof AdjustmentRequestSchema>
export type Adjustment = Static<typeof AdjustmentSchema>
