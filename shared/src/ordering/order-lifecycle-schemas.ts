import Type, { type Static } from 'typebox'
import { IdentifierSchema, MAX_QTY } from '../messages/common.ts'
import { ExternalRefSchema, FulfilmentStatuses, OrderSchema, OrderStatuses, SkuSchema } from './ordering-schemas.ts'

/** What a shop does with an order after placing it: find it, follow its fulfilment, cancel part of it. */

export const OrderListQuerySchema = Type.Object(
  {
    /** Required only to narrow; a key limited to sites sees its sites' orders only. */
    site: Type.Optional(IdentifierSchema),
    status: Type.Optional(Type.Enum(OrderStatuses)),
    /** `none`: orders the warehouse has not picked yet. */
    fulfilment: Type.Optional(Type.Enum([...FulfilmentStatuses, 'none'])),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before' })),
    externalRef: Type.Optional(ExternalRefSchema),
    /** Only orders placed by the caller itself (its API key): with externalRef, the order a shop placed. */
    mine: Type.Optional(Type.Boolean()),
    after: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$', description: 'The `next` of the previous page' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
)

export const OrderPageSchema = Type.Object({
  /** Newest first. */
  items: Type.Array(OrderSchema),
  /** Pass as `after` for the next page; null on the last. */
  next: Type.Union([Type.String(), Type.Null()]),
})

export const FulfilmentRequestSchema = Type.Object(
  { status: Type.Enum(['packed', 'shipped'] as const) },
  { additionalProperties: false, examples: [{ status: 'shipped' }] },
)

export const CancelLinesRequestSchema = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ sku: SkuSchema, qty: Type.Integer({ minimum: 1, maximum: MAX_QTY }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false, examples: [{ lines: [{ sku: 'SKU-01S', qty: 1 }] }] },
)

export type OrderListQuery = Static<typeof OrderListQuerySchema>
export type OrderPage = Static<typeof OrderPageSchema>
export type FulfilmentRequest = Static<typeof FulfilmentRequestSchema>
export type CancelLinesRequest = Static<typeof CancelLinesRequestSchema>
