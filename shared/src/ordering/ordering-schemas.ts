import Type, { type Static } from 'typebox'
import { IdentifierSchema, LocationCodeSchema, MAX_QTY } from '../messages/common.ts'
import { LocationStockSchema } from '../live/live-messages.ts'
import { ProblemOf } from '../errors/problem-schemas.ts'

/** The ordering site's API: stock check, reservations and their lifecycle. */

/**
 * A SKU as the ordering site names one: no control characters, and no space at either end, since
 * MySQL compares VARCHARs padded with spaces ('P-1 ' would find, and reserve, 'P-1').
 */
export const SkuSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f])?$',
  examples: ['SKU-01S'],
})
const Sku = SkuSchema
const Qty = Type.Integer({ minimum: 1, maximum: MAX_QTY, examples: [2] })

/** An order's id as the hub made it: a lowercase UUID (ajv's `uuid` format also takes `urn:uuid:` and capitals). */
export const OrderIdSchema = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' })

export const IdempotencyKeySchema = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{8,128}$',
  description: 'Chosen by the client per order; a retry with the same key and body gets the first answer.',
  examples: ['order-7f3c2a90-1'],
})

/**
 * A product's live stock at one site as the ordering site reads it: on hand and reserved over all
 * the site's locations, `available` over those an order may reserve from only.
 */
export const InventoryItemSchema = Type.Object({
  sku: Type.String(),
  site: Type.String(),
  name: Type.String(),
  /** False once the product is deactivated (listed only when asked for). */
  active: Type.Boolean(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  /** The site's threshold for the product, else the product's own. */
  reorderThreshold: Type.Integer(),
  /** available <= reorderThreshold. */
  low: Type.Boolean(),
  locations: Type.Record(Type.String(), LocationStockSchema),
})

export const InventoryPageSchema = Type.Object({
  site: Type.String(),
  items: Type.Array(InventoryItemSchema),
  /** Pass as `after` for the next page; null on the last. */
  next: Type.Union([Type.String(), Type.Null()]),
})

export const InventoryQuerySchema = Type.Object(
  {
    /** Required unless the API key is limited to exactly one site. */
    site: Type.Optional(IdentifierSchema),
    search: Type.Optional(Type.String({ maxLength: 64, description: 'Part of the SKU or the name, in any case, or a GTIN' })),
    low: Type.Optional(Type.Boolean({ description: "Only products at or below the site's reorder threshold" })),
    includeInactive: Type.Optional(Type.Boolean({ description: 'Deactivated products too' })),
    after: Type.Optional(Sku),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
)

export const StockCheckRequestSchema = Type.Object(
  {
    /** The site an order would reserve at. */
    site: IdentifierSchema,
    items: Type.Array(Type.Object({ sku: Sku, qty: Qty }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false, examples: [{ site: 'dc1', items: [{ sku: 'SKU-01S', qty: 2 }] }] },
)

export const StockCheckResponseSchema = Type.Object({
  site: Type.String(),
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      requested: Type.Integer(),
      /** What an order could reserve at the site now (reservable, active locations only). */
      available: Type.Integer(),
      /** Enough is available now. Advisory: only a reservation holds stock. */
      ok: Type.Boolean(),
    }),
  ),
})

/** The shop's own order number: printable, no space at either end (MySQL pads VARCHARs, as for SKUs). */
export const ExternalRefSchema = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f])?$',
  description: "The shop's own order number, unique per client (API key): a create retried with it finds the order.",
  examples: ['WC-10234'],
})

export const OrderRequestSchema = Type.Object(
  {
    site: IdentifierSchema,
    lines: Type.Array(Type.Object({ sku: Sku, qty: Qty }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
    externalRef: Type.Optional(ExternalRefSchema),
  },
  { additionalProperties: false, examples: [{ site: 'dc1', lines: [{ sku: 'SKU-01S', qty: 2 }], externalRef: 'WC-10234' }] },
)

export const OrderStatuses = ['pending', 'confirmed', 'cancelled', 'expired'] as const
/** How far the warehouse has got: picked (from pick scans with the order id), then packed, then shipped. */
export const FulfilmentStatuses = ['picked', 'packed', 'shipped'] as const

export const OrderSchema = Type.Object({
  orderId: Type.String(),
  site: Type.String(),
  status: Type.Enum(OrderStatuses),
  /** A pending order's stock is released at this time unless it is confirmed first. */
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  externalRef: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  fulfilment: Type.Optional(Type.Union([Type.Enum(FulfilmentStatuses), Type.Null()])),
  createdAt: Type.Optional(Type.String()),
  updatedAt: Type.Optional(Type.String()),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      /** Units ordered, less those cancelled by a partial cancel. */
      qty: Type.Integer(),
      /** Units of the line cancelled by partial cancels. */
      cancelled: Type.Optional(Type.Integer()),
      /** Where the stock was reserved: pick faces first, then reserve racks, then the dock. */
      reservations: Type.Array(Type.Object({ location: LocationCodeSchema, qty: Type.Integer() })),
    }),
  ),
})

/** A reservation refused for stock: a problem whose details name each line short. */
export const ShortageSchema = ProblemOf(
  Type.Literal('INSUFFICIENT_STOCK'),
  Type.Array(Type.Object({ sku: Type.String(), requested: Type.Integer(), available: Type.Integer() })),
)

export type InventoryItem = Static<typeof InventoryItemSchema>
export type InventoryPage = Static<typeof InventoryPageSchema>
export type StockCheckRequest = Static<typeof StockCheckRequestSchema>
export type StockCheckResponse = Static<typeof StockCheckResponseSchema>
export type OrderRequest = Static<typeof OrderRequestSchema>
export type Order = Static<typeof OrderSchema>
export type Shortage = Static<typeof ShortageSchema>
