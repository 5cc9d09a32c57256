import Type, { type Static, type TSchema } from 'typebox'
import { ProblemOf } from '../errors/problem-schemas.ts'
import { IdentifierSchema, LocationCodeSchema } from '../messages/common.ts'

/** The ledger as admins and the ordering site read it: history, stock as of a time, voids. */

const MovementId = Type.Integer({ minimum: 1, examples: [1042] })
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** One row of the ledger (`stock_movements`); a move is two rows, leg 0 out of the source and leg 1 into the target. */
export const MovementSchema = Type.Object({
  id: MovementId,
  eventId: Type.String({ description: 'The scan event (or the void) that wrote it; a move has two legs of one event' }),
  leg: Type.Integer({ minimum: 0, maximum: 1 }),
  type: Type.String({ description: 'receive, pick, count, adjust, move, release, or void', examples: ['pick'] }),
  sku: Type.String(),
  site: Type.String(),
  location: Type.String({ description: "A location code, unique within the movement's site" }),
  qtyDelta: Type.Integer({ description: 'Signed change of on hand at the location' }),
  onHandAfter: Type.Integer({ description: 'On hand at the location right after this row' }),
  deviceId: Nullable(Type.String()),
  orderId: Nullable(Type.String()),
  poNumber: Nullable(Type.String()),
  lot: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  triggeredBy: Type.String({ description: 'scan, import, office, approval, void, order-cancel, order-expiry, ...' }),
  actor: Nullable(
    Type.String({
      description: 'The person (or API key) whose change wrote it: an office adjustment, an approval, a void; null for a scan or an import',
    }),
  ),
  /** This row compensates that one (it is a void). */
  voidsMovementId: Nullable(MovementId),
  /** The void that compensates this row, if it was voided. */
  voidedByMovementId: Nullable(MovementId),
  createdAt: Type.String({ format: 'date-time' }),
})

export const MovementIdParamsSchema = Type.Object({ id: MovementId }, { additionalProperties: false })

export const VoidRequestSchema = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why; kept in the audit log' }),
  },
  { additionalProperties: false, examples: [{ reason: 'scanned the wrong pallet' }] },
)

/** A level as the void left it. */
export const VoidedLevelSchema = Type.Object({
  location: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  version: Type.Integer(),
})

export const VoidResultSchema = Type.Object({
  sku: Type.String(),
  /** Where the voided movement was (a move never leaves its site). */
  site: Type.String(),
  /** The movements voided: both legs of a move, whichever leg was named. */
  voided: Type.Array(MovementId),
  /** The compensating rows written, one per voided row. */
  movements: Type.Array(MovementSchema),
  levels: Type.Array(VoidedLevelSchema),
})

/** A refused void: already voided, a void itself, or stock (a level or a lot) it would take is gone. */
export const VoidRefusalSchema = ProblemOf(
  Type.Enum(['MOVEMENT_ALREADY_VOIDED', 'MOVEMENT_IS_VOID', 'MOVEMENT_NOT_VOIDABLE', 'INSUFFICIENT_STOCK', 'LOT_SHORT']),
  Type.Optional(
    Type.Array(
      Type.Object({
        sku: Type.String(),
        location: Type.String(),
        /** The lot, when a lot is short. */
        lot: Type.Optional(Type.String()),
        /** On hand at the location, or the lot's quantity (null if the lot is gone). */
        onHand: Nullable(Type.Integer()),
        reserved: Type.Optional(Type.Integer()),
        /** What the void would add to it. */
        change: Type.Integer(),
      }),
    ),
  ),
)

export const HistoryQuerySchema = Type.Object(
  {
    site: Type.Optional(IdentifierSchema),
    /** At this location code (at `site`, or at every site the key may read that has the code). */
    location: Type.Optional(LocationCodeSchema),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    before: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Cursor: only movements with a smaller id (the `next` of the page before)' }),
    ),
  },
  { additionalProperties: false },
)

export const HistoryPageSchema = Type.Object({
  sku: Type.String(),
  /** Newest first. */
  items: Type.Array(MovementSchema),
  /** Pass as `before` for the next (older) page; null on the last. */
  next: Nullable(MovementId),
})

export const InventoryAtQuerySchema = Type.Object(
  {
    /** Required unless the API key is limited to exactly one site. */
    site: Type.Optional(IdentifierSchema),
    at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Stock as it was at this instant (RFC 3339 with an offset), from the ledger, instead of live stock',
        examples: ['2026-03-01T08:00:00Z'],
      }),
    ),
  },
  { additionalProperties: false },
)

/**
 * A product's stock at a past instant, summed from the ledger. Reservations are not in the ledger,
 * so `reserved`, `available` and `low` are not historical and are left out; every location the
 * product had a movement at by then is listed, with what was on hand there.
 */
export const InventoryAsOfSchema = Type.Object({
  sku: Type.String(),
  site: Type.String(),
  name: Type.String(),
  at: Type.String({ format: 'date-time' }),
  onHand: Type.Integer(),
  /** The site's threshold for the product, else the product's own. */
  reorderThreshold: Type.Integer(),
  locations: Type.Record(Type.String(), Type.Object({ onHand: Type.Integer() })),
})

export type Movement = Static<typeof MovementSchema>
export type VoidRequest = Static<typeof VoidRequestSchema>
export type VoidResult = Static<typeof VoidResultSchema>
export type VoidRefusal = Static<typeof VoidRefusalSchema>
export type VoidedLevel = Static<typeof VoidedLevelSchema>
export type HistoryQuery = Static<typeof HistoryQuerySchema>
export type HistoryPage = Static<typeof HistoryPageSchema>
export type InventoryAsOf = Static<typeof InventoryAsOfSchema>
