import Type, { type Static } from 'typebox'
import { LocationCodeSchema, MAX_QTY } from '../messages/common.ts'
import { SkuSchema } from '../ordering/ordering-schemas.ts'
import { LocationSchema, ProductSchema, SiteCodeSchema, SiteSchema } from './catalog-schemas.ts'

/**
 * The admin catalog API's requests and answers, built on the catalog's records: a create takes
 * the record, an update any part of it but its key (at least one member), and an answer is the
 * record with every default filled in.
 */

const closed = { additionalProperties: false } as const
const change = { ...closed, minProperties: 1 } as const

export const SiteParamsSchema = Type.Object({ code: SiteCodeSchema }, closed)
export const SiteUpdateSchema = Type.Partial(Type.Omit(SiteSchema, ['code']), change)
export const SiteInfoSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})
export const SiteListSchema = Type.Object({ sites: Type.Array(SiteInfoSchema) })

export const SiteLocationsParamsSchema = Type.Object({ site: SiteCodeSchema }, closed)
export const LocationParamsSchema = Type.Object({ site: SiteCodeSchema, code: LocationCodeSchema }, closed)
/** A location is created at the site its path names. */
export const LocationCreateSchema = Type.Omit(LocationSchema, ['site'], closed)
export const LocationUpdateSchema = Type.Partial(Type.Omit(LocationSchema, ['site', 'code']), change)
export const LocationInfoSchema = Type.Object({
  site: Type.String(),
  code: Type.String(),
  zone: Type.String(),
  pickable: Type.Boolean(),
  reservable: Type.Boolean(),
  active: Type.Boolean(),
})
export const LocationListSchema = Type.Object({ site: Type.String(), locations: Type.Array(LocationInfoSchema) })

export const ProductParamsSchema = Type.Object({ sku: SkuSchema }, closed)
/**
 * `gtins`, when given, replaces the product's whole set; `siteThresholds` is merged into its
 * thresholds, and a site set to null goes back to the product's default.
 */
export const ProductUpdateSchema = Type.Partial(
  Type.Object(
    {
      ...Type.Omit(ProductSchema, ['sku', 'siteThresholds']).properties,
      siteThresholds: Type.Record(SiteCodeSchema, Type.Union([Type.Integer({ minimum: 0, maximum: MAX_QTY }), Type.Null()]), closed),
    },
    closed,
  ),
  change,
)
export const ProductInfoSchema = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  reorderThreshold: Type.Integer(),
  siteThresholds: Type.Record(Type.String(), Type.Integer(), { description: 'Per site, where it differs from reorderThreshold' }),
  gtins: Type.Array(Type.Object({ gtin: Type.String({ description: 'GTIN-14' }), qty: Type.Integer() }), {
    description: 'Smallest pack first',
  }),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})
export const ProductQuerySchema = Type.Object(
  {
    /** Part of the SKU or name, any case, or a whole GTIN. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
    /** Keyset cursor: products after this SKU (the `next` of the previous page). */
    after: Type.Optional(SkuSchema),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  },
  closed,
)
export const ProductPageSchema = Type.Object({
  items: Type.Array(ProductInfoSchema),
  /** Pass as `after` for the next page (products come in SKU order); null on the last. */
  next: Type.Union([Type.String(), Type.Null()]),
})

export type SiteUpdate = Static<typeof SiteUpdateSchema>
export type SiteInfo = Static<typeof SiteInfoSchema>
export type LocationCreate = Static<typeof LocationCreateSchema>
export type LocationUpdate = Static<typeof LocationUpdateSchema>
export type LocationInfo = Static<typeof LocationInfoSchema>
export type ProductUpdate = Static<typeof ProductUpdateSchema>
export type ProductInfo = Static<typeof ProductInfoSchema>
export type ProductQuery = Static<typeof ProductQuerySchema>
export type ProductPage = Static<typeof ProductPageSchema>
