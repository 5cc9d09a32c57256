import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'
import { ProblemOf } from '../errors/problem-schemas.ts'

/** The changes feed (`GET /api/stock/changes`): which SKUs of a site changed since a cursor, with their figures now. */

/** A position in the change log: every change up to this seq has been read (0: none yet). */
const SeqSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, examples: [1042] })

export const StockChangesQuerySchema = Type.Object(
  {
    /** Required unless the API key is limited to exactly one site. */
    site: Type.Optional(IdentifierSchema),
    after: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'The cursor: `next` of the previous page, 0 to start at the beginning',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500, description: 'At most this many SKUs in the page' }),
  },
  { additionalProperties: false },
)

/** One SKU that changed: its latest change's seq in the page, and the site's figures for it as the stock check gives them now. */
export const StockChangeItemSchema = Type.Object({
  sku: Type.String(),
  /** The seq of the SKU's latest change in this page: keep the highest per SKU, and a replay never sets you back. */
  seq: Type.Integer(),
  /** On hand over all the site's locations. */
  onHand: Type.Integer(),
  /** What an order at the site could reserve now (reservable locations only). */
  available: Type.Integer(),
})

export const StockChangesPageSchema = Type.Object({
  site: Type.String(),
  /** Each changed SKU once, in the order of their latest change. */
  items: Type.Array(StockChangeItemSchema),
  /** Pass as `after` for the next page; every change up to it is in this page or an earlier one. */
  next: SeqSchema,
  /** True when more changes are ready now: ask again at once; false: poll again later. */
  more: Type.Boolean(),
})

/** A cursor older than the change log keeps: where to take a snapshot, and the cursor to follow on from after it. */
export const ChangesCursorExpiredSchema = ProblemOf(
  Type.Literal('CHANGES_CURSOR_EXPIRED'),
  Type.Array(
    Type.Object({
      /** Changes at or below this seq were pruned. */
      horizon: SeqSchema,
      /** The snapshot to take: `GET /api/inventory?site=…`, page by page. */
      snapshot: Type.String({ examples: ['/api/inventory?site=dc1'] }),
      /** Settled before this answer was sent: take the snapshot after it, then read changes `after` this. */
      resumeAfter: SeqSchema,
    }),
  ),
)

/** Where a new follower starts: take the snapshot after asking, then read changes `after` this. */
export const StockChangesResumeSchema = Type.Object({ site: Type.String(), resumeAfter: SeqSchema })

export const StockChangesResumeQuerySchema = Type.Object(
  {
    /** Required unless the API key is limited to exactly one site. */
    site: Type.Optional(IdentifierSchema),
  },
  { additionalProperties: false },
)

export type StockChangesResume = Static<typeof StockChangesResumeSchema>
export type StockChangesQuery = Static<typeof StockChangesQuerySchema>
export type StockChangeItem = Static<typeof StockChangeItemSchema>
export type StockChangesPage = Static<typeof StockChangesPageSchema>
export type ChangesCursorExpired = Static<typeof ChangesCursorExpiredSchema>
