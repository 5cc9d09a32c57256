import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'

/** The kinds of CSV file an import takes, in the order a set of them is checked and applied. */
export const ImportKinds = ['sites', 'locations', 'products', 'gtins', 'stock'] as const
export type ImportKind = (typeof ImportKinds)[number]

/** What can be wrong with a line of an import file; `reason` says it in words. */
export const ImportProblemCodes = [
  'BAD_ENCODING',
  'MALFORMED_CSV',
  'MISSING_COLUMN',
  'UNKNOWN_COLUMN',
  'EXTRA_FIELD',
  'FIELD_TOO_LONG',
  'INVALID_FIELD',
  'BAD_CHECK_DIGIT',
  'DUPLICATE_ROW',
  'UNKNOWN_SITE',
  'UNKNOWN_LOCATION',
  'UNKNOWN_SKU',
  'INACTIVE',
  'GTIN_TAKEN',
  'EMPTY_FILE',
] as const

/** One problem of an import file, by line (1 is the header) and column. */
export const ImportProblemSchema = Type.Object({
  kind: Type.Enum(ImportKinds),
  line: Type.Integer({ minimum: 1 }),
  column: Type.Optional(Type.String()),
  code: Type.Enum(ImportProblemCodes),
  reason: Type.String(),
})
export type ImportProblem = Static<typeof ImportProblemSchema>

/** An import, checked or applied: its identity, rows per kind, and for opening stock its progress. */
export const ImportReportSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(ImportKinds),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  status: Type.Enum(['checked', 'applying', 'applied']),
  /** Opening stock rows applied so far (all of them once `applied`). */
  applied: Type.Optional(Type.Integer()),
  /** Of those, once applied: rows the partitions held for an admin instead (see the held events). */
  held: Type.Optional(Type.Integer()),
})
export type ImportReport = Static<typeof ImportReportSchema>

/** `POST /api/imports`: the kind of the CSV body, and whether to only check it. */
export const ImportQuerySchema = Type.Object(
  {
    kind: Type.Enum(ImportKinds),
    dryRun: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
)

export const ImportParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false })

/** A refused import: every problem of the file, by line and column. */
export const ImportRefusalSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  code: Type.Literal('IMPORT_REFUSED'),
  details: Type.Array(ImportProblemSchema),
})

export const CatalogExportQuerySchema = Type.Object(
  { kind: Type.Optional(Type.Enum(['sites', 'locations', 'products', 'gtins'], { default: 'products' })) },
  { additionalProperties: false },
)
export const LevelsExportQuerySchema = Type.Object({ site: IdentifierSchema }, { additionalProperties: false })
export const LedgerExportQuerySchema = Type.Object(
  { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
)
