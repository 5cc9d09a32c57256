// The shapes of the webhook API as its design states them, until the hub's shared schemas land.
export type WebhookFamily = 'stock' | 'orders'
export type SubscriptionStatus = 'active' | 'paused' | 'deleted'
export type MessageStatus = 'pending' | 'delivered' | 'dead'
export type SyncReason = 'changed' | 'fallback' | 'forced'

export interface WebhookSubscription {
  id: number
  name: string
  site: string
  url: string
  skus: string[] | null
  events: WebhookFamily[]
  status: SubscriptionStatus
  pausedReason: string | null
  failingSince: string | null
  createdBy: string
  createdAt: string
  updatedAt: string
  pending: number
  dead: number
}

export interface CreateWebhook {
  name: string
  site: string
  url: string
  skus?: string[]
  events?: WebhookFamily[]
}

export interface IssuedWebhook {
  subscription: WebhookSubscription
  secret: string
}

export interface WebhookDelivery {
  id: number
  msgId: string
  type: string
  seq: number | null
  status: MessageStatus
  attempts: number
  lastStatus: number | null
  lastError: string | null
  lastAttemptAt: string | null
  deliveredAt: string | null
  createdAt: string
}

export interface DeliveryPage {
  items: WebhookDelivery[]
  next: number | null
}

export interface SyncRun {
  id: number
  site: string
  reason: SyncReason
  skipped: boolean
  skus: number
  subscriptions: number
  messages: number
  throughSeq: number
  requestedBy: string
  startedAt: string
  finishedAt: string | null
}
