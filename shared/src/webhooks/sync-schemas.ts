import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'

/** `POST /api/webhooks/sync`: push every SKU of a site to its stock subscriptions now. */
export const WebhookSyncRequestSchema = Type.Object(
  { site: IdentifierSchema },
  { additionalProperties: false, examples: [{ site: 'dc1' }] },
)

const Count = Type.Integer({ minimum: 0 })

/** One full sync of a site, or why it was skipped. */
export const SyncRunSchema = Type.Object({
  id: Type.Integer(),
  site: Type.String(),
  /** `changed` (a product added or deactivated), `fallback` (the periodic run), `forced` (asked for). */
  reason: Type.Union([Type.Literal('changed'), Type.Literal('fallback'), Type.Literal('forced')]),
  /** Nothing changed since the site's last run (same change seq, same active catalog): nothing sent. */
  skipped: Type.Boolean(),
  /** SKUs sent (every active product). */
  skus: Count,
  /** The site's stock subscriptions at the time. */
  subscriptions: Count,
  /** `stock.synced` messages written (up to 500 items each). */
  messages: Count,
  /** The site's latest stock change seq the run saw. */
  throughSeq: Count,
  /** A hash of the active SKUs the run saw. */
  catalogVersion: Type.Union([Type.String(), Type.Null()]),
  /** Who asked: a caller's name, or `system` for the fallback and catalog changes. */
  requestedBy: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

export const SyncRunListQuerySchema = Type.Object(
  {
    site: Type.Optional(IdentifierSchema),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only runs older than this id' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
)

export const SyncRunPageSchema = Type.Object({
  items: Type.Array(SyncRunSchema),
  /** Pass as `before` for the next (older) page; null on the last. */
  next: Type.Union([Type.Integer(), Type.Null()]),
})

export type WebhookSyncRequest = Static<typeof WebhookSyncRequestSchema>
export type SyncRun = Static<typeof SyncRunSchema>
export type SyncRunPage = Static<typeof SyncRunPageSchema>
