import type { MessageStatus, SyncReason, WebhookFamily } from './webhook-types.ts'

/** The subscription shown is in the address (`?id=`), so it can be linked to and the back button closes it. */
export const webhookHref = (id?: number) => `/console/webhooks${id ? `?id=${id}` : ''}`

/** The console topic the hub announces every change under `/api/webhooks` with. */
export const WEBHOOK_TOPICS = ['webhooks'] as const

export const FAMILY_WORDS: Record<WebhookFamily, string> = {
  stock: 'Stock changes and full syncs',
  orders: 'Order events',
}

export const MESSAGE_WORDS: Record<MessageStatus, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  dead: 'Dead-lettered',
}

export const REASON_WORDS: Record<SyncReason, string> = {
  changed: 'Catalog changed',
  fallback: 'Periodic fallback',
  forced: 'Asked for',
}

/** SKUs as typed: separated by commas, spaces or lines; none means every SKU of the site. */
export const skusOf = (text: string) => [...new Set(text.split(/[\s,;]+/).filter(Boolean))]
