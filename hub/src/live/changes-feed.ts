import type { Pool } from 'mysql2/promise'
import type { StockChangeItem } from '@wh/shared'
import type { Aggregate } from '../db/typed-rows.ts'
import type { LiveCache } from './live-cache.ts'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import { GAP_GRACE_MS, type ChangeLog, type ChangeRow } from '../stock/change-log.ts'

/** Log rows looked at per read; a page of a quiet site among busy ones reads a few times. */
const SCAN_ROWS = 1000
/** Reads per page at most, so one request stays bounded however busy other sites are. */
const SCAN_ROUNDS = 10
/**
 * How long a committed change may be missing from the live cache before the feed goes past it
 * anyway. The writer publishes right after its commit; a change the cache lacks for longer was
 * lost with Redis, and reconciliation's cache check (not the feed) brings that back.
 */
export const CACHE_LAG_GRACE_MS = 30_000

export interface FeedPage {
  items: StockChangeItem[]
  next: number
  more: boolean
}

/**
 * The changes feed: which SKUs of a site changed after a cursor, with the figures the stock check
 * gives now (read from the same live cache). The cache is written after the commit, so a page
 * never hands out a cursor past a change the cache does not show yet: a poller would otherwise
 * keep the figure from before it for good.
 */
export function createChangesFeed(deps: { pool: Pool; changeLog: ChangeLog; cache: LiveCache; redis: Redis; log: Log }) {
  const { pool, changeLog, cache, redis, log } = deps

  /** The first row whose level the cache does not show yet (a young one: see CACHE_LAG_GRACE_MS). */
  async function firstUnpublished(site: string, rows: ChangeRow[]): Promise<ChangeRow | undefined> {
    const skus = [...new Set(rows.map((r) => r.sku))]
    const hashes = await Promise.all(skus.map((sku) => redis.hGetAll(cache.keys.product(site, sku))))
    const cached = new Map(skus.map((sku, i) => [sku, hashes[i]!]))
    for (const row of rows) {
      // A field is `onHand:reserved:version:reservable` (live-cache.ts `fieldValue`).
      const version = Number(cached.get(row.sku)?.[`l:${row.location}`]?.split(':')[2] ?? 0)
      if (version >= Number(row.version)) continue
      if (Number(row.ageMs) < CACHE_LAG_GRACE_MS) return row
      log.warn({ site, sku: row.sku, seq: row.seq }, 'changes feed: the live cache still lacks an old change; going past it')
    }
    return undefined
  }

  /** The site's change rows after `after`, up to `limit` SKUs, and the cursor they reach. */
  async function collect(site: string, after: number, limit: number): Promise<{ rows: ChangeRow[]; next: number; more: boolean }> {
    const rows: ChangeRow[] = []
    const skus = new Set<string>()
    let next = after
    let more = true
    for (let round = 0; round < SCAN_ROUNDS && more; round++) {
      const page = await changeLog.read(next, SCAN_ROWS, site)
      for (const row of page.rows) {
        if (!skus.has(row.sku) && skus.size === limit) {
          // Every change before this row was read: the next page starts with it.
          return { rows, next: row.seq - 1, more: true }
        }
        skus.add(row.sku)
        rows.push(row)
      }
      next = page.through
      more = page.more
    }
    return { rows, next, more }
  }

  return {
    /** A page of changed SKUs after `after`; `next` never passes a change still on its way to the cache. */
    async page(site: string, after: number, limit: number): Promise<FeedPage> {
      let { rows, next, more } = await collect(site, after, limit)
      const late = await firstUnpublished(site, rows)
      if (late) {
        rows = rows.filter((r) => r.seq < late.seq)
        next = late.seq - 1
        more = false
      }
      const latest = new Map<string, number>()
      for (const row of rows) latest.set(row.sku, row.seq)
      if (latest.size === 0) return { items: [], next, more }
      const { data } = await cache.snapshot(site, [...latest.keys()])
      const figures = new Map(data.map((d) => [d.sku, d]))
      const items = [...latest].map(([sku, seq]) => ({
        sku,
        seq,
        onHand: figures.get(sku)?.onHand ?? 0,
        available: figures.get(sku)?.available ?? 0,
      }))
      return { items: items.sort((a, b) => a.seq - b.seq), next, more }
    },

    /**
     * A cursor to follow on from after a snapshot taken from now on: every change of the site up
     * to it is committed and in the cache. It starts from the newest change old enough to be
     * settled (GAP_GRACE_MS) and reads on to the end.
     */
    async resumePoint(site: string): Promise<number> {
      const [[row]] = await pool.query<Aggregate<'seq'>[]>(
        `SELECT MAX(seq) AS seq FROM stock_changes
          WHERE seq > (SELECT COALESCE(MAX(seq), 0) - 100000 FROM stock_changes)
            AND changed_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND`,
        [GAP_GRACE_MS / 1000],
      )
      let cursor = Math.max(Number(row?.seq ?? 0), await changeLog.horizon())
      for (let round = 0; round < SCAN_ROUNDS; round++) {
        const page = await this.page(site, cursor, 1000)
        cursor = page.next
        if (!page.more) break
      }
      return cursor
    },

    latest: () => changeLog.latest(),
    horizon: () => changeLog.horizon(),
  }
}

export type ChangesFeed = ReturnType<typeof createChangesFeed>
