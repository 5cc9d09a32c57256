import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'

/** The reconciliation API: start a run, and read the runs' history. */

export const ReconcileScopeSchema = Type.Enum(['incremental', 'full'], {
  description: 'incremental: the products touched since the last run; full: every product',
})

export const ReconcileCheckSchema = Type.Enum(['ledger', 'reserved', 'lots', 'cache'], {
  description:
    'ledger: on_hand = sum of the ledger; reserved: reserved = active reservations; lots: lots sum to on_hand; cache: Redis = MySQL',
})

export const StartRunRequestSchema = Type.Object(
  {
    scope: ReconcileScopeSchema,
    /** Verify only: find and count the discrepancies, change nothing (for audits). */
    dryRun: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false, examples: [{ scope: 'full', dryRun: true }] },
)

/** One discrepancy as the run found it (the first few of a run are kept in its summary). */
export const FindingSchema = Type.Object({
  check: ReconcileCheckSchema,
  /** The site of the level or cached product; absent only in runs recorded before sites. */
  site: Type.Optional(Type.String()),
  sku: Type.String(),
  /** A location code, unique within the site (a cache finding may name several, comma-separated). */
  location: Type.Optional(Type.String()),
  /** What the checked copy held, and what its source of truth says. */
  found: Type.Integer(),
  expected: Type.Integer(),
  /** corrected; dry-run (found only); needs-admin (a correction would break a limit); resolved (gone when re-checked). */
  outcome: Type.Enum(['corrected', 'dry-run', 'needs-admin', 'resolved']),
})

export const RunSummarySchema = Type.Object({
  /** Discrepancies per check. */
  byCheck: Type.Record(Type.String(), Type.Integer()),
  needsAdmin: Type.Integer(),
  /** Report only (full runs): devices whose settled deviceSeqs have holes, or whose last seq disagrees. */
  devices: Type.Optional(Type.Object({ checked: Type.Integer(), withGaps: Type.Integer(), lastSeqMismatch: Type.Integer() })),
  found: Type.Array(FindingSchema),
})

export const RunSchema = Type.Object({
  id: Type.Integer(),
  scope: ReconcileScopeSchema,
  trigger: Type.String({ description: 'schedule, api or cli' }),
  dryRun: Type.Boolean(),
  status: Type.Enum(['queued', 'running', 'done', 'failed']),
  productsChecked: Type.Integer(),
  rowsChecked: Type.Integer(),
  discrepancies: Type.Integer(),
  corrections: Type.Integer(),
  summary: Type.Union([RunSummarySchema, Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
})

export const RunPageSchema = Type.Object({
  items: Type.Array(RunSchema),
  /** Pass as `before` for the next (older) page; null on the last. */
  next: Type.Union([Type.Integer(), Type.Null()]),
})

/** Findings of one site only (each run's counts stay the whole run's). */
const FindingsSite = Type.Optional(IdentifierSchema)

export const RunListQuerySchema = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only runs older than this id' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
    /** Only runs that found something (the scheduled runs that found nothing are most of them). */
    found: Type.Optional(Type.Boolean()),
    site: FindingsSite,
  },
  { additionalProperties: false },
)

export const RunQuerySchema = Type.Object({ site: FindingsSite }, { additionalProperties: false })

export const RunIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })

export type ReconcileScope = Static<typeof ReconcileScopeSchema>
export type ReconcileCheck = Static<typeof ReconcileCheckSchema>
export type StartRunRequest = Static<typeof StartRunRequestSchema>
export type Finding = Static<typeof FindingSchema>
export type RunSummary = Static<typeof RunSummarySchema>
export type Run = Static<typeof RunSchema>
export type RunPage = Static<typeof RunPageSchema>
