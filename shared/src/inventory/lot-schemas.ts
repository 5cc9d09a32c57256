import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'

/** A product's stock lot by lot at each location of a site, as the lots table holds it now. */

export const LotStockQuerySchema = Type.Object(
  {
    /** Required unless the caller is limited to exactly one site. */
    site: Type.Optional(IdentifierSchema),
  },
  { additionalProperties: false },
)

export const LotStockSchema = Type.Object({
  sku: Type.String(),
  site: Type.String(),
  /** Lots holding stock, by location code, then earliest expiry first (the order picks take them in). */
  lots: Type.Array(
    Type.Object({
      location: Type.String(),
      lot: Type.String({ description: "The lot code; '' for stock received without one" }),
      expiry: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
      qty: Type.Integer(),
      poNumber: Type.Union([Type.String(), Type.Null()], { description: 'The purchase order it was first received against' }),
      receivedAt: Type.String({ format: 'date-time' }),
    }),
  ),
})

export type LotStock = Static<typeof LotStockSchema>
