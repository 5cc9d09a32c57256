import Type, { type Static } from 'typebox'

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
})
export type ImportReport = Static<typeof ImportReportSchema>
