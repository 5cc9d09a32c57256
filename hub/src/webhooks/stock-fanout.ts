import type { Pool } from 'mysql2/promise'
import { inTransaction } from '../db/transaction.ts'
import type { Log } from '../log.ts'
import type { ChangeLog, ChangeRow } from '../stock/change-log.ts'
import type { WebhookDelivery } from './delivery-types.ts'
import { readSiteTotals } from './site-totals.ts'
import { changedData, chunkItems, highestSeq, type StockItem } from './stock-fanout-items.ts'
import {
  foldInto,
  foldTargets,
  insertMessages,
  lockFanoutCursor,
  moveFanoutCursor,
  stockSubscriptions,
  type NewMessage,
} from './stock-fanout-store.ts'

/** Delivery's nudge: start on a subscription's new messages now. */
export type Nudge = WebhookDelivery['nudge']

/** Changes read per pass at most. */
const PAGE = 5000

/** Per site, each changed SKU's latest change seq. */
function latestPerSku(rows: readonly ChangeRow[]): Map<string, Map<string, number>> {
  const sites = new Map<string, Map<string, number>>()
  for (const row of rows) {
    const skus = sites.get(row.site) ?? new Map<string, number>()
    skus.set(row.sku, Math.max(skus.get(row.sku) ?? 0, row.seq))
    sites.set(row.site, skus)
  }
  return sites
}

export interface FanoutPass {
  /** The cursor after the pass. */
  through: number
  /** Changes read. */
  changes: number
  /** Messages written or folded into. */
  messages: number
  /** The page stopped at its limit: run again at once. */
  more: boolean
}

/**
 * Stock changes to webhook messages. One pass: with the fan-out cursor's row locked (one pass at
 * a time cluster-wide), read the settled changes after it, coalesce them per (site, SKU), read
 * those SKUs' site totals now, and owe each matching subscription one `stock.changed` message
 * (folded into its newest unsent one where it can, so a slow or paused endpoint's backlog stays
 * bounded), then move the cursor: all one transaction, so a change is fanned out exactly once.
 */
export function createStockFanout(deps: { pool: Pool; changeLog: Pick<ChangeLog, 'read'>; nudge: Nudge; pageSize?: number }) {
  const pageSize = deps.pageSize ?? PAGE

  async function pass(): Promise<FanoutPass & { subscriptions: number[] }> {
    return inTransaction(deps.pool, async (conn) => {
      const cursor = await lockFanoutCursor(conn)
      const page = await deps.changeLog.read(cursor, pageSize)
      const done = { through: page.through, changes: page.rows.length, messages: 0, more: page.more, subscriptions: [] as number[] }
      if (page.through === cursor) return done
      const changed = latestPerSku(page.rows)
      const subscriptions = await stockSubscriptions(conn, [...changed.keys()])
      const owed = new Map<number, { site: string; items: StockItem[] }>()
      for (const [site, skus] of changed) {
        const subs = subscriptions.filter((s) => s.site === site)
        const heard = [...skus.keys()].filter((sku) => subs.some((s) => !s.skus || s.skus.has(sku)))
        if (heard.length === 0) continue
        // Read after the changes: the figures include every change read (and maybe newer ones).
        const totals = await readSiteTotals(conn, site, heard)
        const items = totals.map((t): StockItem => ({ ...t, seq: skus.get(t.sku)! }))
        for (const sub of subs) {
          const mine = items.filter((i) => !sub.skus || sub.skus.has(i.sku))
          if (mine.length > 0) owed.set(sub.id, { site, items: mine })
        }
      }
      const targets = await foldTargets(conn, [...owed.keys()])
      const fresh: NewMessage[] = []
      let folded = 0
      for (const [subscriptionId, { site, items }] of owed) {
        const target = targets.get(subscriptionId)
        if (target && (await foldInto(conn, target, site, items))) {
          folded++
          continue
        }
        for (const chunk of chunkItems(items))
          fresh.push({ subscriptionId, type: 'stock.changed', seq: highestSeq(chunk), data: changedData(site, chunk) })
      }
      await insertMessages(conn, fresh)
      await moveFanoutCursor(conn, page.through)
      return { ...done, messages: folded + fresh.length, subscriptions: [...owed.keys()] }
    })
  }

  return {
    /** One pass; delivery is nudged for the subscriptions it wrote to, after the commit. */
    async pass(): Promise<FanoutPass> {
      const { subscriptions, ...result } = await pass()
      for (const id of subscriptions) deps.nudge(id)
      return result
    },
  }
}

export type StockFanout = ReturnType<typeof createStockFanout>

/**
 * The worker role's fan-out loop: a pass every `coalesceMs` while changes come (the coalescing
 * window), every `idleMs` when none did, and within `coalesceMs` of a nudge (the stock publisher
 * tells of each commit made in this process; other processes' are found by the idle poll).
 */
export function startStockFanout(fanout: StockFanout, opts: { coalesceMs: number; idleMs?: number; log: Log }) {
  const idleMs = opts.idleMs ?? Math.max(opts.coalesceMs * 4, 1000)
  let timer: NodeJS.Timeout | undefined
  let dueAt = 0
  let running: Promise<void> | undefined
  let nudged = false
  let closed = false

  const schedule = (ms: number) => {
    clearTimeout(timer)
    dueAt = Date.now() + ms
    timer = setTimeout(run, ms)
  }
  function run() {
    nudged = false
    running = (async () => {
      let busy = false
      try {
        for (let more = true; more && !closed;) {
          const result = await fanout.pass()
          busy ||= result.changes > 0
          more = result.more
        }
      } catch (err) {
        opts.log.warn({ err: (err as Error).message }, 'stock fan-out pass failed; retried at the next')
      }
      running = undefined
      if (!closed) schedule(busy || nudged ? opts.coalesceMs : idleMs)
    })()
  }
  schedule(opts.coalesceMs)
  return {
    nudge() {
      if (closed) return
      if (running) nudged = true
      else if (dueAt - Date.now() > opts.coalesceMs) schedule(opts.coalesceMs)
    },
    async close() {
      closed = true
      clearTimeout(timer)
      await running
    },
  }
}
