import Type, { type Static } from 'typebox'

/**
 * The floor-screen WebSocket protocol. A screen connects for one site (`/live?site=CODE`) and sees
 * that site's stock, devices, activity, held events and reconciliation figures only. Inventory
 * messages carry the gap-free `seq` of the
 * site's delta stream; a client that sees a gap resubscribes with `since`. Feed messages
 * (devices, activity, held events, reconciliation) carry no seq: each is complete in itself.
 */

const SkuSchema = Type.String({ minLength: 1, maxLength: 64 })

export const SubscribeSchema = Type.Object(
  {
    type: Type.Literal('subscribe'),
    /** The last seq this client applied: resume from there if the hub still holds what followed. */
    since: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Only these products (all when absent). */
    skus: Type.Optional(Type.Array(SkuSchema, { minItems: 1, maxItems: 5000 })),
  },
  { additionalProperties: false },
)
export type Subscribe = Static<typeof SubscribeSchema>

const Count = Type.Integer()

export const LocationStockSchema = Type.Object({ onHand: Count, reserved: Count, available: Count })

/**
 * A product's live stock at one site: totals over the site's locations and the per-location
 * breakdown (by location code, unique within the site). `available` counts only locations where
 * an order may reserve (an unreservable one, such as a shipping lane, shows 0).
 */
export const ProductStockSchema = Type.Object({
  site: Type.String({ minLength: 1, maxLength: 64 }),
  sku: SkuSchema,
  onHand: Count,
  reserved: Count,
  available: Count,
  locations: Type.Record(Type.String(), LocationStockSchema),
})
export type ProductStock = Static<typeof ProductStockSchema>

/** What a screen needs to show a product that has no stock change yet. */
export const ProductInfoSchema = Type.Object({
  sku: SkuSchema,
  name: Type.String(),
  unit: Type.String(),
  /** Low stock is `available <= reorderThreshold`: the site's threshold, or the product's default. */
  reorderThreshold: Count,
})
export type ProductInfo = Static<typeof ProductInfoSchema>

export const InventorySnapshotSchema = Type.Object({
  type: Type.Literal('inventory_snapshot'),
  /** The site the screen subscribed to: every figure of this message and its deltas is that site's. */
  site: Type.String(),
  seq: Count,
  products: Type.Array(ProductInfoSchema),
  data: Type.Array(ProductStockSchema),
})

/** When the hub published the change, right after its commit (ms since the epoch). */
const PublishedAt = Type.Integer({ minimum: 0 })

/**
 * In updates, `data.locations` holds only the locations that changed (merge them into the
 * product's); the totals are always whole. A snapshot has every location.
 */
export const InventoryUpdateSchema = Type.Object({
  type: Type.Literal('inventory_update'),
  seq: Count,
  at: PublishedAt,
  data: ProductStockSchema,
})

/** Several deltas coalesced: covers every seq from `fromSeq` to `seq`, one entry per product. */
export const InventoryBatchUpdateSchema = Type.Object({
  type: Type.Literal('inventory_batch_update'),
  fromSeq: Count,
  seq: Count,
  /** Of the latest delta covered. */
  at: PublishedAt,
  data: Type.Array(ProductStockSchema),
})

export const DeviceTileSchema = Type.Object({
  deviceId: Type.String(),
  kind: Type.String(),
  status: Type.Enum(['online', 'offline']),
  /** ISO time, or null when never seen. */
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  eventsToday: Count,
})
export type DeviceTile = Static<typeof DeviceTileSchema>

/** Devices that changed (all of them when sent on subscribe). */
export const DeviceStatusMessageSchema = Type.Object({
  type: Type.Literal('device_status'),
  devices: Type.Array(DeviceTileSchema),
})

export const ActivityItemSchema = Type.Object({
  at: Type.String(),
  /** The site of the device that sent the event: a screen lists its own site's only. */
  site: Type.String(),
  deviceId: Type.String(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  eventType: Type.Optional(Type.String()),
  sku: Type.Optional(Type.String()),
  location: Type.Optional(Type.String()),
  qty: Type.Optional(Count),
  status: Type.Enum(['applied', 'held', 'rejected']),
  code: Type.Optional(Type.String()),
})
export type ActivityItem = Static<typeof ActivityItemSchema>

export const ActivityMessageSchema = Type.Object({
  type: Type.Literal('activity'),
  /** The latest items (capped), newest last. */
  items: Type.Array(ActivityItemSchema),
  /** Events settled per device since the previous message, including those not listed in items. */
  byDevice: Type.Record(Type.String(), Count),
  /** On subscribe: events per minute for the last hour, oldest first, ending with the current minute. */
  perMinute: Type.Optional(Type.Array(Type.Object({ minute: Type.String(), count: Count }))),
})

export const HeldItemSchema = Type.Object({
  eventId: Type.String(),
  deviceId: Type.String(),
  sku: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  reason: Type.String(),
  at: Type.String(),
})
export type HeldItem = Static<typeof HeldItemSchema>

/**
 * The site's events newly held for an admin (all its pending ones, capped, when sent on
 * subscribe). A held event's site is its device's.
 */
export const HeldEventMessageSchema = Type.Object({
  type: Type.Literal('held_event'),
  held: Type.Array(HeldItemSchema),
  /** Event ids of the site an admin has just approved or rejected: no longer waiting. */
  decided: Type.Optional(Type.Array(Type.String())),
  /** How many of the site's held events await a decision now. */
  pending: Count,
})

/** A reconciliation run as it concerns one site: the run's time, scope and status, the site's figures. */
export const ReconciliationSummarySchema = Type.Object({
  at: Type.String(),
  /** The site the figures are of: the screen's. */
  site: Type.String(),
  scope: Type.String(),
  /** A failed run's figures cover what it checked before it failed. */
  status: Type.Enum(['done', 'failed']),
  /** The site's stock levels the run checked (an incremental run checks only those changed since the last). */
  checked: Count,
  /** What the run found at the site, and how much of it it corrected. */
  discrepancies: Count,
  corrected: Count,
  durationMs: Count,
  /** A verify-only run: what it found was left as it is. */
  dryRun: Type.Optional(Type.Boolean()),
})
export type ReconciliationSummary = Static<typeof ReconciliationSummarySchema>

export const ReconciliationMessageSchema = Type.Object({
  type: Type.Literal('reconciliation'),
  /** The latest run, or null when none has run yet. */
  run: Type.Union([ReconciliationSummarySchema, Type.Null()]),
})

/** Ends a subscribe: everything up to `seq` has been sent (a snapshot, or the deltas missed since `since`). */
export const SubscribedSchema = Type.Object({
  type: Type.Literal('subscribed'),
  seq: Count,
  mode: Type.Enum(['snapshot', 'resume']),
})

/** Sent every few seconds so an idle screen knows its link and its seq are current. */
export const HeartbeatSchema = Type.Object({ type: Type.Literal('heartbeat'), seq: Count, at: Type.String() })

/** A refusal of what the client sent; the connection stays open. */
export const ProtocolErrorSchema = Type.Object({ type: Type.Literal('error'), code: Type.String(), message: Type.String() })

export type InventorySnapshot = Static<typeof InventorySnapshotSchema>
export type InventoryUpdate = Static<typeof InventoryUpdateSchema>
export type InventoryBatchUpdate = Static<typeof InventoryBatchUpdateSchema>
export type DeviceStatusMessage = Static<typeof DeviceStatusMessageSchema>
export type ActivityMessage = Static<typeof ActivityMessageSchema>
export type HeldEventMessage = Static<typeof HeldEventMessageSchema>
export type ReconciliationMessage = Static<typeof ReconciliationMessageSchema>
export type Subscribed = Static<typeof SubscribedSchema>
export type Heartbeat = Static<typeof HeartbeatSchema>
export type ProtocolError = Static<typeof ProtocolErrorSchema>

export type InventoryMessage = InventorySnapshot | InventoryUpdate | InventoryBatchUpdate
export type FeedMessage = DeviceStatusMessage | ActivityMessage | HeldEventMessage | ReconciliationMessage
export type ServerMessage = InventoryMessage | FeedMessage | Subscribed | Heartbeat | ProtocolError
