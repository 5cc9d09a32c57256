import { setTimeout as sleep } from 'node:timers/promises'
import type { BenchEnvironment } from '../environment.ts'
import { forkReceivers, wallMs } from './webhook-receivers.ts'

/** Endpoints subscribed to the site's stock, each a local HTTP receiver. */
export const ENDPOINTS = 10
/** Stock changes offered per second: receipts of one unit, scanned like (b)'s. */
export const CHANGES_PER_S = 1000
/** How long after the last change every endpoint must have it, for the fan-out to count as keeping up. */
const CATCH_UP_S = 5

export interface FanoutFigures {
  changesPerSecond: number
  /** Over all endpoints, in the measurement. */
  messagesPerSecond: number
  itemsPerSecond: number
  /** Scan to an endpoint's receipt of a message carrying it. */
  lagMs: { p50: number; p99: number; max: number }
  /** Messages waiting (pending) for the bench's endpoints, at the measurement's start and end, and the most seen. */
  backlog: { start: number; end: number; max: number }
  /** Seconds from the last change until every endpoint had every change (null: not within a minute). */
  caughtUpS: number | null
}

interface Timing {
  warmupS: number
  measureS: number
}

async function api(env: BenchEnvironment, method: string, path: string, body?: unknown) {
  const res = await fetch(`${env.httpUrl()}${path}`, {
    method,
    headers: { authorization: `Bearer ${env.fixture.keys.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>)
}

async function query<T>(env: BenchEnvironment, sql: string, values: unknown[] = []) {
  const [rows] = (await env.inspect.db.query(sql, values)) as unknown as [T[]]
  return rows
}

/**
 * Webhook fan-out: ENDPOINTS subscriptions to the site's stock, CHANGES_PER_S receipts a second
 * through the hub (`drive` runs them with `onScan` and checks the books after), and each endpoint's
 * deliveries timed against the scans they carry; the pending messages are sampled every second to
 * show whether a backlog builds, and the time to catch up after the last change is taken.
 */
export async function webhookFanout(
  env: BenchEnvironment,
  timing: Timing,
  drive: (onScan: (sku: string, measuring: boolean) => void) => Promise<number>,
): Promise<FanoutFigures> {
  // Every change so far fanned out (earlier scenarios may have left a queue of them), and the base on hand.
  const caughtUp = async () => {
    const [row] = await query<{ behind: number }>(
      env,
      `SELECT COALESCE((SELECT MAX(seq) FROM stock_changes), 0) - COALESCE((SELECT value FROM sync_state WHERE name = 'webhook_fanout_cursor'), 0) AS behind`,
    )
    return Number(row!.behind) <= 0
  }
  for (let t = 0; !(await caughtUp()); t++) {
    if (t > 120) throw new Error('webhooks: the fan-out did not catch up with earlier changes within a minute')
    await sleep(500)
  }
  const base = Object.fromEntries(
    (
      await query<{ sku: string; onHand: string }>(
        env,
        `SELECT p.sku, SUM(s.on_hand) AS onHand FROM stock_levels s JOIN products p ON p.id = s.product_id
           JOIN locations l ON l.id = s.location_id WHERE l.site = ? GROUP BY p.sku`,
        [env.site],
      )
    ).map((r) => [r.sku, Number(r.onHand)]),
  )
  const receivers = await forkReceivers(ENDPOINTS, base)
  const ids: number[] = []
  try {
    for (const [i, url] of receivers.urls.entries())
      ids.push((await api(env, 'POST', '/api/webhooks', { name: `bench-${i + 1}`, site: env.site, url, events: ['stock'] }))!.id as number)
    const pending = async () =>
      Number(
        (
          await query<{ n: number }>(
            env,
            `SELECT COUNT(*) AS n FROM webhook_messages WHERE status = 'pending' AND subscription_id IN (?)`,
            [ids],
          )
        )[0]!.n,
      )
    const sent: Record<string, number[]> = {}
    let lastScan = 0
    const backlog = { start: 0, end: 0, max: 0 }
    let counted = { messages: 0, items: 0 }
    let measuredFrom = 0
    // The measurement's edges, on the same clock as the load generator's warm-up and measurement.
    const edges = (async () => {
      await sleep(timing.warmupS * 1000)
      ;[backlog.start, counted, measuredFrom] = [await pending(), await receivers.counts(), wallMs()]
      const sampler = setInterval(() => void pending().then((n) => (backlog.max = Math.max(backlog.max, n))), 1000)
      await sleep(timing.measureS * 1000)
      clearInterval(sampler)
      const [end, counts] = [await pending(), await receivers.counts()]
      backlog.end = end
      const s = (wallMs() - measuredFrom) / 1000
      return {
        messagesPerSecond: Math.round((counts.messages - counted.messages) / s),
        itemsPerSecond: Math.round((counts.items - counted.items) / s),
      }
    })()
    const changesPerSecond = await drive((sku, measuring) => {
      lastScan = wallMs()
      ;(sent[sku] ??= []).push(measuring ? lastScan : -1)
    })
    const rates = await edges
    let figures = await receivers.figures(sent)
    while (!figures.complete && wallMs() - lastScan < 60_000) {
      await sleep(250)
      figures = await receivers.figures(sent)
    }
    return {
      changesPerSecond,
      ...rates,
      lagMs: figures.lagMs,
      backlog: { ...backlog, max: Math.max(backlog.max, backlog.start, backlog.end) },
      caughtUpS: figures.complete ? Math.round((wallMs() - lastScan) / 100) / 10 : null,
    }
  } finally {
    for (const id of ids) await api(env, 'DELETE', `/api/webhooks/${id}`).catch(() => undefined)
    receivers.close()
  }
}

/** Keeping up: the backlog no larger at the end than at the start (give or take a window's messages), caught up soon after. */
export const keepsUp = (f: FanoutFigures) =>
  f.caughtUpS !== null && f.caughtUpS <= CATCH_UP_S && f.backlog.end <= f.backlog.start + ENDPOINTS * 2
