import { randomBytes } from 'node:crypto'
import type { RowDataPacket } from 'mysql2/promise'
import type { WebhookFamily, WebhookView } from '@wh/shared'
import type { Queryable } from '../db/connection.ts'
import type { webhookSubscriptions } from '../db/schema/index.ts'

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect
export interface MessageCounts {
  pending: number
  dead: number
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** The row as the API shows it: never the sealed secret. */
export function subscriptionView(row: SubscriptionRow, counts: MessageCounts): WebhookView {
  return {
    id: row.id,
    name: row.name,
    site: row.site,
    url: row.url,
    skus: row.skus === null ? null : (JSON.parse(row.skus) as string[]),
    events: JSON.parse(row.events) as WebhookFamily[],
    status: row.status as WebhookView['status'],
    pausedReason: row.pausedReason,
    failingSince: iso(row.failingSince),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...counts,
  }
}

/** What the audit log keeps of a subscription: its settings and state, never its secret. */
export const audited = (v: WebhookView) => ({
  name: v.name,
  site: v.site,
  url: v.url,
  skus: v.skus,
  events: v.events,
  status: v.status,
  pausedReason: v.pausedReason,
})

/**
 * Pending and dead messages of each subscription, by range scans of the (subscription, status, id)
 * index: the delivered rows, which pile up, are never counted.
 */
export async function messageCounts(pool: Queryable, ids: readonly number[]): Promise<Map<number, MessageCounts>> {
  const counts = new Map<number, MessageCounts>(ids.map((id) => [id, { pending: 0, dead: 0 }]))
  if (ids.length === 0) return counts
  const [rows] = await pool.query<(RowDataPacket & { id: number; pending: number; dead: number })[]>(
    `SELECT s.id,
      (SELECT COUNT(*) FROM webhook_messages m WHERE m.subscription_id = s.id AND m.status = 'pending') AS pending,
      (SELECT COUNT(*) FROM webhook_messages m WHERE m.subscription_id = s.id AND m.status = 'dead') AS dead
     FROM webhook_subscriptions s WHERE s.id IN (?)`,
    [ids],
  )
  for (const r of rows) counts.set(r.id, { pending: Number(r.pending), dead: Number(r.dead) })
  return counts
}

/** A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/** The additional data a subscription's secret is sealed with: a sealed secret copied to another row does not open. */
export const sealContext = (id: number) => `webhook:${id}`
