import Type, { type Static } from 'typebox'
import { IdentifierSchema, LocationCodeSchema, MAX_QTY } from '../messages/common.ts'
import { SkuSchema } from '../ordering/ordering-schemas.ts'

/**
 * The catalog as the admin API, the CLI and CSV import name it: one schema per record, so a
 * field is checked the same way whichever door it comes in by.
 */

/** Printable text without control characters or padding, as names are shown on screens. */
const Text = (maxLength: number) =>
  Type.String({
    minLength: 1,
    maxLength,
    pattern: '^[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f])?$',
  })

export const SiteCodeSchema = IdentifierSchema
/** A GTIN-8, -12, -13 or -14; its check digit is verified by the catalog, not by the pattern. */
export const GtinSchema = Type.String({ pattern: '^(?:\\d{8}|\\d{12,14})$', examples: ['09506000134352'] })
const Threshold = Type.Integer({ minimum: 0, maximum: MAX_QTY })

export const SiteSchema = Type.Object(
  { code: SiteCodeSchema, name: Text(200), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type Site = Static<typeof SiteSchema>

export const LocationSchema = Type.Object(
  {
    site: SiteCodeSchema,
    code: LocationCodeSchema,
    zone: Type.Optional(Type.Union([Type.Literal(''), IdentifierSchema])),
    /** Pickers may take stock here; a shipping lane is not pickable. */
    pickable: Type.Optional(Type.Boolean()),
    /** Orders may reserve stock here: only such stock counts as available. */
    reservable: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type Location = Static<typeof LocationSchema>

export const ProductGtinSchema = Type.Object(
  {
    gtin: GtinSchema,
    /** Units one scan of it moves: 1 for the unit, 6 for an inner pack of 6, 12 for a case of 12. */
    qty: Type.Integer({ minimum: 1, maximum: MAX_QTY }),
  },
  { additionalProperties: false },
)
export type ProductGtin = Static<typeof ProductGtinSchema>

export const ProductSchema = Type.Object(
  {
    sku: SkuSchema,
    name: Text(200),
    unit: Type.Optional(Text(16)),
    /** Low stock is `available <= threshold`: the default, and per site where it differs. */
    reorderThreshold: Type.Optional(Threshold),
    siteThresholds: Type.Optional(Type.Record(SiteCodeSchema, Threshold, { additionalProperties: false })),
    /** Empty: scanned by SKU only (in an update, every GTIN removed). */
    gtins: Type.Optional(Type.Array(ProductGtinSchema, { minItems: 0, maxItems: 20 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type Product = Static<typeof ProductSchema>

/** One row of opening stock: counted at a location, in a lot when the product is tracked by lot. */
export const OpeningStockSchema = Type.Object(
  {
    site: SiteCodeSchema,
    location: LocationCodeSchema,
    sku: SkuSchema,
    qty: Type.Integer({ minimum: 0, maximum: MAX_QTY }),
    lot: Type.Optional(Type.String({ maxLength: 20, pattern: '^[\\x21-\\x7e]*$' })),
    expiry: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
)
export type OpeningStock = Static<typeof OpeningStockSchema>
