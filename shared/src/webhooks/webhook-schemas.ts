import Type, { type Static, type TSchema } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'
import { SkuSchema } from '../ordering/ordering-schemas.ts'

/**
 * Webhook subscriptions as the admin API shows them: a storefront's (or ERP's) endpoint for one
 * site, optionally only some SKUs, hearing stock and/or order events, signed to the Standard
 * Webhooks specification with a `whsec_…` secret shown only when created or rotated.
 */

/** What a subscription can hear: `stock` (stock.changed, stock.synced) and `orders` (order.*). */
export const WebhookFamilies = ['stock', 'orders'] as const
export const WebhookStatuses = ['active', 'paused', 'deleted'] as const
export const WebhookMessageStatuses = ['pending', 'delivered', 'dead'] as const

const Name = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$', examples: ['shop.example.com'] })
/** Checked again by the hub (an absolute http(s) URL, no user or password in it). */
const Url = Type.String({ minLength: 10, maxLength: 2048, pattern: '^https?://\\S+$', examples: ['https://shop.example.com/hooks/stock'] })
const Skus = Type.Union([Type.Array(SkuSchema, { minItems: 1, maxItems: 10_000, uniqueItems: true }), Type.Null()], {
  description: 'Only these SKUs of the site; null (or absent) for every SKU',
})
const Events = Type.Array(Type.Enum(WebhookFamilies), { minItems: 1, uniqueItems: true, description: 'Event families heard' })
const Time = Type.String({ format: 'date-time' })
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const CreateWebhookSchema = Type.Object(
  { name: Name, site: IdentifierSchema, url: Url, skus: Type.Optional(Skus), events: Type.Optional(Events) },
  { additionalProperties: false, examples: [{ name: 'shop', site: 'dc1', url: 'https://shop.example.com/hooks', events: ['stock'] }] },
)

/** Any of the members; at least one. */
export const UpdateWebhookSchema = Type.Object(
  { name: Type.Optional(Name), url: Type.Optional(Url), skus: Type.Optional(Skus), events: Type.Optional(Events) },
  { additionalProperties: false, examples: [{ skus: ['SKU-01S', 'SKU-02M'] }] },
)

/** Pausing by hand says why (shown with the subscription); resuming and the rest say nothing. */
export const PauseWebhookSchema = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
)
export const WebhookActionSchema = Type.Object({}, { additionalProperties: false })

/** An id or seq a request names: a database counter, so never past what JSON numbers hold exactly. */
const Counter = (minimum: number) => Type.Integer({ minimum, maximum: Number.MAX_SAFE_INTEGER })

export const WebhookParamsSchema = Type.Object({ id: Counter(1) }, { additionalProperties: false })

export const WebhookListQuerySchema = Type.Object(
  {
    site: Type.Optional(IdentifierSchema),
    /** Deleted subscriptions are listed only when asked for. */
    status: Type.Optional(Type.Enum(WebhookStatuses)),
  },
  { additionalProperties: false },
)

export const WebhookSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  site: Type.String(),
  url: Type.String(),
  skus: Nullable(Type.Array(Type.String())),
  events: Type.Array(Type.Enum(WebhookFamilies)),
  status: Type.Enum(WebhookStatuses),
  pausedReason: Nullable(Type.String({ description: 'Why it is paused: by whom, or since when its endpoint has failed' })),
  failingSince: Nullable(
    Type.String({ format: 'date-time', description: 'Since when its deliveries have failed without one success; null while healthy' }),
  ),
  createdBy: Type.String(),
  createdAt: Time,
  updatedAt: Time,
  pending: Type.Integer({ description: 'Messages waiting to be delivered' }),
  dead: Type.Integer({ description: 'Messages dead-lettered after their last attempt (replay them with `{status: "dead"}`)' }),
})

export const WebhookListSchema = Type.Object({ subscriptions: Type.Array(WebhookSchema) })

/** The answer of a creation or rotation: the signing secret in full, shown this once. */
export const IssuedWebhookSchema = Type.Object({
  subscription: WebhookSchema,
  secret: Type.String({ description: 'The Standard Webhooks secret (`whsec_…`). Shown only now: store it with the receiver.' }),
})

export const DeliveryQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Enum(WebhookMessageStatuses)),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    /** Keyset cursor, newest first: only messages with a smaller id (the `next` of the previous page). */
    before: Type.Optional(Counter(1)),
  },
  { additionalProperties: false },
)

/** One message of the delivery log (its body is not listed: `GET …/deliveries/:messageId` has it). */
export const DeliverySchema = Type.Object({
  id: Type.Integer({ description: 'The row id: delivery order within the subscription' }),
  msgId: Type.String({ description: 'The `webhook-id` header, the same on every attempt and replay' }),
  type: Type.String(),
  seq: Nullable(Type.Integer({ description: 'The highest stock change seq the message carries' })),
  status: Type.Enum(WebhookMessageStatuses),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer({ description: "The endpoint's last HTTP status; null when it did not answer" })),
  lastError: Nullable(Type.String()),
  lastAttemptAt: Nullable(Time),
  deliveredAt: Nullable(Time),
  createdAt: Time,
})

export const DeliveryPageSchema = Type.Object({
  items: Type.Array(DeliverySchema),
  next: Type.Union([Type.Integer(), Type.Null()]),
})

export const DeliveryParamsSchema = Type.Object({ id: Counter(1), messageId: Counter(1) }, { additionalProperties: false })

export const DeliveryWithBodySchema = Type.Object({ ...DeliverySchema.properties, body: Type.Unknown() })

/**
 * What to send again, as copies at the tail of the queue with the same `webhook-id`: the
 * messages carrying stock change seqs in a range, those with row ids in a range, or every
 * dead-lettered message not already replayed.
 */
export const ReplaySchema = Type.Object(
  {
    fromSeq: Type.Optional(Counter(0)),
    toSeq: Type.Optional(Counter(0)),
    fromId: Type.Optional(Counter(1)),
    toId: Type.Optional(Counter(1)),
    status: Type.Optional(Type.Literal('dead')),
  },
  {
    additionalProperties: false,
    // One object rather than a union of three: a stray member is then named on its own, not
    // beside every branch's complaints. Which one of the three was meant is checked by the hub.
    description: 'One of: `fromSeq` and `toSeq`; `fromId` and `toId`; `status: "dead"`',
    examples: [{ status: 'dead' }, { fromSeq: 1200, toSeq: 1300 }],
  },
)

export const ReplayResultSchema = Type.Object({
  replayed: Type.Integer({ description: 'Messages copied to the tail of the queue' }),
})

/** A ping (`webhook.ping`) queued for the subscription: its log row and `webhook-id`. */
export const PingResultSchema = Type.Object({ id: Type.Integer(), msgId: Type.String() })

export type WebhookFamily = (typeof WebhookFamilies)[number]
export type CreateWebhook = Static<typeof CreateWebhookSchema>
export type UpdateWebhook = Static<typeof UpdateWebhookSchema>
export type WebhookView = Static<typeof WebhookSchema>
export type IssuedWebhook = Static<typeof IssuedWebhookSchema>
export type DeliveryQuery = Static<typeof DeliveryQuerySchema>
export type DeliveryView = Static<typeof DeliverySchema>
export type DeliveryPage = Static<typeof DeliveryPageSchema>
export type Replay = Static<typeof ReplaySchema>
