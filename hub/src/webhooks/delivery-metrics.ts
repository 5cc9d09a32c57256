import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Pool } from 'mysql2/promise'
import type { Packet } from '../db/typed-rows.ts'

export type DeliveryOutcome = 'delivered' | 'failed' | 'dead'

/**
 * Webhook delivery's metrics: attempts by outcome and delivery lag (this process's), and the
 * messages still owed (the installation's, read at scrape time: take max across instances, not sum).
 */
export function createDeliveryMetrics(registry: Registry, pool: Pool, onError: (err: Error) => void) {
  const attempts = new Counter({
    name: 'wh_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome: delivered (2xx), failed (to be retried), dead (the last attempt failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  // From 0, so the dead-letter alert's increase() sees the first one (monitoring/alerts.yml).
  for (const outcome of ['delivered', 'failed', 'dead']) attempts.inc({ outcome }, 0)
  const lag = new Histogram({
    name: 'wh_webhook_delivery_lag_seconds',
    help: "From the stock change a message carries (else the message's creation) to its 2xx",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200],
    registers: [registry],
  })
  const pending = new Gauge({
    name: 'wh_webhook_messages_pending',
    help: 'Webhook messages waiting for delivery, by subscription status (active or paused)',
    labelNames: ['subscription_status'] as const,
    registers: [registry],
    async collect() {
      try {
        const [rows] = await pool.query<Packet<{ status: string; n: number }>[]>(
          `SELECT s.status, SUM((SELECT COUNT(*) FROM webhook_messages m WHERE m.subscription_id = s.id AND m.status = 'pending')) AS n
           FROM webhook_subscriptions s WHERE s.status <> 'deleted' GROUP BY s.status`,
        )
        pending.reset()
        for (const status of ['active', 'paused']) pending.set({ subscription_status: status }, 0)
        for (const r of rows) pending.set({ subscription_status: r.status }, Number(r.n))
      } catch (err) {
        onError(err as Error)
      }
    },
  })
  return {
    attempt(outcome: DeliveryOutcome) {
      attempts.inc({ outcome })
    },
    /** A message delivered now whose content dates from `since`. */
    delivered(since: Date, now = Date.now()) {
      lag.observe(Math.max(0, now - since.getTime()) / 1000)
    },
  }
}

export type DeliveryMetrics = ReturnType<typeof createDeliveryMetrics>
