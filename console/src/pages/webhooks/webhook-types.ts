// The webhook API's shapes come from the shared schemas; the full-sync runs' shape from the design
// until the fan-out branch's schema lands.
import type { DeliveryView } from '@wh/shared'

export type {
  CreateWebhook,
  DeliveryPage,
  DeliveryView as WebhookDelivery,
  IssuedWebhook,
  WebhookFamily,
  WebhookView as WebhookSubscription,
} from '@wh/shared'

export type MessageStatus = DeliveryView['status']
export type SyncReason = 'changed' | 'fallback' | 'forced'

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
