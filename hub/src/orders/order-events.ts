import { randomUUID } from 'node:crypto'
import type { Order } from '@wh/shared'
import type { Statement } from '../db/statements.ts'
import { orderEventStatement, type OrderEventType } from '../webhooks/webhook-messages.ts'

/** What an order event says of its order (`order.*` messages: Standard Webhooks `data`). */
export interface OrderFacts {
  orderId: string
  site: string
  externalRef: string | null
  status: string
  fulfilment: string | null
}

/** The event owed for a change of one order, run in the transaction that makes the change. */
export function orderEvent(type: OrderEventType, order: OrderFacts, lines?: Order['lines']): Statement {
  const { orderId, site, externalRef, status, fulfilment } = order
  const data = {
    orderId,
    site,
    ...(externalRef ? { externalRef } : {}),
    status,
    ...(fulfilment ? { fulfilment } : {}),
    ...(lines ? { lines: lines.map(({ sku, qty, cancelled }) => ({ sku, qty, ...(cancelled ? { cancelled } : {}) })) } : {}),
  }
  return orderEventStatement(site, type, data)
}

/** An order whose every reservation has been taken by picks (none active with stock left), not yet marked. */
const ALL_PICKED = `o.id IN (?) AND o.fulfilment IS NULL AND o.status IN ('pending', 'confirmed')
  AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = o.id AND r.status = 'active' AND r.qty > 0)`

/**
 * Marks `picked` those of these orders whose reservations picks have now all consumed, and owes
 * their `order.picked` events, in the transaction of the picks. Set-based (the batch that takes the
 * last units names the orders; their rows are locked here, after the levels and reservations, as
 * every batch locks them). The body is built in SQL in the shape `messageBody` gives, since which
 * orders qualify is only known to the database.
 */
export function orderPickedStatements(orderIds: string[], at = new Date()): Statement[] {
  if (orderIds.length === 0) return []
  const data = (withRef: boolean) =>
    `JSON_OBJECT('orderId', o.id, 'site', o.site${withRef ? ", 'externalRef', o.external_ref" : ''}, 'status', o.status, 'fulfilment', 'picked')`
  return [
    { sql: 'SELECT id FROM orders WHERE id IN (?) ORDER BY id FOR UPDATE', values: [orderIds] },
    {
      sql: `INSERT INTO webhook_messages (subscription_id, msg_id, type, payload)
        SELECT s.id, CONCAT('msg_', MD5(CONCAT(?, o.id)), '_', s.id), 'order.picked',
          CONCAT('{"type":"order.picked","timestamp":', JSON_QUOTE(?), ',"data":',
            IF(o.external_ref IS NULL, ${data(false)}, ${data(true)}), '}')
        FROM orders o JOIN webhook_subscriptions s ON s.site = o.site
        WHERE ${ALL_PICKED} AND s.status <> 'deleted' AND JSON_CONTAINS(s.events, '"orders"')
        ORDER BY o.id, s.id`,
      values: [randomUUID(), at.toISOString(), orderIds],
    },
    {
      sql: `UPDATE orders o SET o.fulfilment = 'picked', o.updated_at = CURRENT_TIMESTAMP(3) WHERE ${ALL_PICKED}`,
      values: [orderIds],
    },
  ]
}
