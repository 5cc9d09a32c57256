import type { TSchema } from 'typebox'
import { LocationSchema, OpeningStockSchema, ProductGtinSchema, ProductSchema, SiteSchema, type ImportKind } from '@wh/shared'
import Type from 'typebox'

/** How a cell's text becomes the value its schema checks. */
type CellType = 'text' | 'int' | 'bool'

export interface Column {
  /** As it is written in the file's header. */
  name: string
  /** The record member the catalog schema checks it as. */
  field: string
  type: CellType
  required?: true
  /** What an empty cell is, where the schema requires the member. */
  fallback?: unknown
}

export interface CsvFormat {
  columns: Column[]
  /** The schema each row's record must pass: the API's, so a field is checked alike by both doors. */
  schema: TSchema
  /**
   * Columns named by a pattern, one per site: `reorder_threshold@dc2` is the product's threshold at
   * site dc2, its record member `siteThresholds.dc2`. An empty cell means the site uses the default.
   */
  perSite?: { prefix: string; field: string; type: CellType }
}

/** A product's GTINs come in their own file (a product has several), not as a member of its row. */
const withoutGtins = ({ gtins: _gtins, ...rest }: typeof ProductSchema.properties) => rest

const col = (name: string, field: string, type: CellType, required?: true): Column => ({
  name,
  field,
  type,
  ...(required ? { required } : {}),
})

/**
 * One file per kind, each with its own header: a file stays a plain table a spreadsheet can
 * write, and each kind's columns are checked against the catalog's own schema.
 */
export const CSV_FORMATS: Record<ImportKind, CsvFormat> = {
  sites: {
    columns: [col('code', 'code', 'text', true), col('name', 'name', 'text', true), col('active', 'active', 'bool')],
    schema: SiteSchema,
  },
  locations: {
    columns: [
      col('site', 'site', 'text', true),
      col('code', 'code', 'text', true),
      col('zone', 'zone', 'text'),
      col('pickable', 'pickable', 'bool'),
      col('reservable', 'reservable', 'bool'),
      col('active', 'active', 'bool'),
    ],
    schema: LocationSchema,
  },
  products: {
    columns: [
      col('sku', 'sku', 'text', true),
      col('name', 'name', 'text', true),
      col('unit', 'unit', 'text'),
      col('reorder_threshold', 'reorderThreshold', 'int'),
      col('active', 'active', 'bool'),
    ],
    schema: Type.Object(withoutGtins(ProductSchema.properties), { additionalProperties: false }),
    perSite: { prefix: 'reorder_threshold@', field: 'siteThresholds', type: 'int' },
  },
  gtins: {
    columns: [col('sku', 'sku', 'text', true), col('gtin', 'gtin', 'text', true), { ...col('qty', 'qty', 'int'), fallback: 1 }],
    schema: Type.Object({ sku: ProductSchema.properties.sku, ...ProductGtinSchema.properties }, { additionalProperties: false }),
  },
  stock: {
    columns: [
      col('site', 'site', 'text', true),
      col('location', 'location', 'text', true),
      col('sku', 'sku', 'text', true),
      col('qty', 'qty', 'int', true),
      col('lot', 'lot', 'text'),
      col('expiry', 'expiry', 'text'),
    ],
    schema: OpeningStockSchema,
  },
}

const NUMBER = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const BOOLEANS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false }

/** A cell as its schema sees it: a number or boolean when it reads as one, else the text (which the schema then refuses). */
export function cellValue(text: string, type: CellType): unknown {
  if (type === 'int' && NUMBER.test(text)) return Number(text)
  if (type === 'bool' && text.toLowerCase() in BOOLEANS) return BOOLEANS[text.toLowerCase()]
  return text
}
