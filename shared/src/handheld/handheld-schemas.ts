import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'
import { LocationInfoSchema } from '../catalog/catalog-api-schemas.ts'
import { OrderIdSchema, OrderStatuses } from '../ordering/ordering-schemas.ts'
import { PoStatuses } from '../purchasing/po-schemas.ts'

/**
 * The handheld's work lists (`GET /api/handheld/*`): what a device signing its requests reads to
 * receive, pick and look up. Read-only; a device changes stock only by its scan events.
 */

const closed = { additionalProperties: false } as const
const Qty = Type.Integer()
const ExpiryDate = Type.Union([Type.String({ format: 'date' }), Type.Null()])
const Gtins = Type.Array(Type.String(), { description: "Every GTIN of the product (unit, packs, cases): a scan of any is the line's item" })

/** Every handheld route's query: a device reads its own site; a key or person not limited to one site names it. */
export const HandheldQuerySchema = Type.Object(
  {
    /** Required unless the caller has exactly one site (a device has its own). */
    site: Type.Optional(IdentifierSchema),
  },
  closed,
)

export const HandheldOrderParamsSchema = Type.Object({ orderId: OrderIdSchema }, closed)

export const HandheldLookupQuerySchema = Type.Object(
  {
    ...HandheldQuerySchema.properties,
    /** As scanned: a GTIN, a SKU or a GS1 element string (a GS1-128 label's lot and expiry are echoed). */
    barcode: Type.String({ minLength: 1, maxLength: 256 }),
  },
  closed,
)

export const HandheldMeSchema = Type.Object({
  deviceId: Type.String(),
  site: Type.String(),
  name: Type.String({ description: "The site's name" }),
  enabled: Type.Boolean(),
})

export const HandheldLocationSchema = Type.Pick(LocationInfoSchema, ['code', 'zone', 'pickable', 'active'])
export const HandheldLocationsSchema = Type.Object({ locations: Type.Array(HandheldLocationSchema) })

export const ReceivingLineSchema = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  gtins: Gtins,
  ordered: Qty,
  received: Qty,
  remaining: Qty,
})

export const ReceivingPoSchema = Type.Object({
  poNumber: Type.String(),
  supplier: Type.Optional(Type.String()),
  expectedAt: Type.Optional(Type.String({ format: 'date' })),
  status: Type.Enum(PoStatuses),
  lines: Type.Array(ReceivingLineSchema),
})

/** The site's open purchase orders, in PO number order, with what remains to receive on each line. */
export const HandheldReceivingSchema = Type.Object({ purchaseOrders: Type.Array(ReceivingPoSchema) })

const OrderStatus = Type.Enum(OrderStatuses)

export const HandheldOrderSummarySchema = Type.Object({
  orderId: Type.String(),
  status: OrderStatus,
  createdAt: Type.String({ format: 'date-time' }),
  lines: Type.Array(Type.Object({ sku: Type.String(), name: Type.String(), qty: Qty, remaining: Qty })),
})

/** The site's pending and confirmed orders that still hold stock to pick, oldest first. */
export const HandheldOrdersSchema = Type.Object({ orders: Type.Array(HandheldOrderSummarySchema) })

export const PickLotSchema = Type.Object({
  lot: Type.String({ description: "The lot code; '' for stock received without one" }),
  expiry: ExpiryDate,
  onHand: Qty,
})

export const PickPlaceSchema = Type.Object({
  location: Type.String(),
  /** What the order still holds here: what to pick here. */
  qty: Qty,
  /** The product's lots at the location, first expiry first (undated last): the order picks take them in. */
  lots: Type.Array(PickLotSchema),
})

/** An order's pick plan: per line, where its reserved stock is and which lot to take first. */
export const HandheldPickPlanSchema = Type.Object({
  orderId: Type.String(),
  status: OrderStatus,
  lines: Type.Array(
    Type.Object({ sku: Type.String(), name: Type.String(), gtins: Gtins, remaining: Qty, picks: Type.Array(PickPlaceSchema) }),
  ),
})

/** A scanned item: the product, what the label said of its lot and expiry, and the stock at the site by location. */
export const HandheldLookupSchema = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  /** Units one scan of this barcode stands for: a case GTIN's count, 1 for a unit GTIN or a SKU. */
  packQty: Qty,
  lot: Type.Optional(Type.String()),
  expiry: Type.Optional(Type.String({ format: 'date' })),
  locations: Type.Array(Type.Object({ location: Type.String(), onHand: Qty, available: Qty })),
})

export type HandheldQuery = Static<typeof HandheldQuerySchema>
export type HandheldMe = Static<typeof HandheldMeSchema>
export type HandheldLocation = Static<typeof HandheldLocationSchema>
export type HandheldLocations = Static<typeof HandheldLocationsSchema>
export type ReceivingLine = Static<typeof ReceivingLineSchema>
export type ReceivingPo = Static<typeof ReceivingPoSchema>
export type HandheldReceiving = Static<typeof HandheldReceivingSchema>
export type HandheldOrderSummary = Static<typeof HandheldOrderSummarySchema>
export type HandheldOrders = Static<typeof HandheldOrdersSchema>
export type PickLot = Static<typeof PickLotSchema>
export type PickPlace = Static<typeof PickPlaceSchema>
export type HandheldPickPlan = Static<typeof HandheldPickPlanSchema>
export type HandheldLookup = Static<typeof HandheldLookupSchema>
