import { randomUUID } from 'node:crypto'
import type { Statement } from '../db/statements.ts'

/** The event families a subscription can hear. */
export const WEBHOOK_FAMILIES = ['stock', 'orders'] as const
export type WebhookFamily = (typeof WEBHOOK_FAMILIES)[number]

/** Every message type, by family: what `type` a receiver switches on. */
export const ORDER_EVENT_TYPES = [
  'order.reserved',
  'order.confirmed',
  'order.expired',
  'order.cancelled',
  'order.lines_cancelled',
  'order.picked',
  'order.packed',
  'order.shipped',
] as const
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number]

/**
 * A message body as the Standard Webhooks specification shapes one: `type`, `timestamp`, `data`.
 * The `webhook-id` header is the message's `msg_id`, the same on every attempt and replay.
 */
export function messageBody(type: string, data: object, at = new Date()): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data })
}

/** A fresh `webhook-id`: `msg_` and a random id, unique per message and subscription. */
export const newMessageId = () => `msg_${randomUUID().replaceAll('-', '')}`

/**
 * The statement that owes an order event to every live subscription of the order's site that
 * hears `orders`, run in the transaction that changed the order: the event exists exactly when the
 * change committed. Delivery is nudged after the commit (`WebhookDelivery.nudge`).
 */
export function orderEventStatement(site: string, type: OrderEventType, data: { orderId: string } & object): Statement {
  // One id per (event, subscription): the event's random part, then the subscription id.
  const event = randomUUID().replaceAll('-', '')
  return {
    sql: `INSERT INTO webhook_messages (subscription_id, msg_id, type, payload)
      SELECT id, CONCAT('msg_', ?, '_', id), ?, ? FROM webhook_subscriptions
      WHERE site = ? AND status <> 'deleted' AND JSON_CONTAINS(events, '"orders"')`,
    values: [event, type, messageBody(type, data), site],
  }
}
