import Type, { type Static } from 'typebox'

/** The audit log as supervisors read it: who changed what, when, why, and the state before and after. */

const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description })

/** What narrows the log; the list and its CSV export take the same members. */
const filter = {
  entity: Type.Optional(Text(32, 'held_event, movement, purchase_order, stock_level, user, …')),
  entityId: Type.Optional(Text(128, "The entity's id as the log records it (an event id, a PO number, a username)")),
  action: Type.Optional(Text(32, 'approve, reject, void, create, update, reconcile, …')),
  actor: Type.Optional(Text(64, "A person's username, an API key's name, or `reconciler`")),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries at or after this instant' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries before this instant' })),
}

export const AuditFilterSchema = Type.Object(filter, {
  additionalProperties: false,
  examples: [{ actor: 'ana', action: 'approve', from: '2026-12-01T00:00:00Z' }],
})

export const AuditQuerySchema = Type.Object(
  {
    ...filter,
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    /** Keyset cursor: only entries with a smaller id (the `next` of the previous page). */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  entity: Type.String(),
  entityId: Type.String(),
  action: Type.String(),
  actor: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  /** The entity's state before and after, as the change recorded it (null when it has none). */
  before: Type.Unknown(),
  after: Type.Unknown(),
  createdAt: Type.String({ format: 'date-time' }),
})

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last. */
  next: Type.Union([Type.Integer(), Type.Null()]),
})

export type AuditFilter = Static<typeof AuditFilterSchema>
export type AuditQuery = Static<typeof AuditQuerySchema>
export type AuditEntryView = Static<typeof AuditEntrySchema>
export type AuditPage = Static<typeof AuditPageSchema>
