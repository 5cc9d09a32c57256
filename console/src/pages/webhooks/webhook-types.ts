// The webhook API's shapes, from the shared schemas, under the names the page uses.
import type { DeliveryView, SyncRun } from '@wh/shared'

export type {
  CreateWebhook,
  DeliveryPage,
  DeliveryView as WebhookDelivery,
  IssuedWebhook,
  SyncRun,
  SyncRunPage,
  WebhookFamily,
  WebhookView as WebhookSubscription,
} from '@wh/shared'

export type MessageStatus = DeliveryView['status']
export type SyncReason = SyncRun['reason']
