import mysql, { type RowDataPacket } from 'mysql2/promise'
import { createClient } from 'redis'
import { createLiveCache } from '../../hub/src/live/live-cache.ts'
import type { TestEnv } from './test-env.ts'

export interface StockRow {
  site: string
  sku: string
  location: string
  onHand: number
  reserved: number
}

export interface LocationFigures {
  onHand: number
  reserved: number
  available: number
}
export interface SiteProduct extends LocationFigures {
  locations: Record<string, LocationFigures>
}

/** Reads the truth straight from MySQL and Redis, past the hub, for assertions. */
export async function openInspector(env: TestEnv) {
  // One connection for tests that hold a session (a transaction of their own); reads go through a
  // pool and Redis reconnects, so the inspector outlives a fault test's database or Redis restart.
  const db = await mysql.createConnection(env.env.MYSQL_URL!)
  db.on('error', () => undefined) // a killed server: the next query reports it
  const pool = mysql.createPool({ uri: env.env.MYSQL_URL!, connectionLimit: 2 })
  const redis = createClient({ url: env.urls.redis })
  redis.on('error', () => undefined)
  await redis.connect()
  const cache = createLiveCache(redis, env.env.REDIS_PREFIX!, 1000)
  const rows = async <T>(sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0] as T[]

  return {
    db,
    pool,
    redis,
    rows,
    levels: () =>
      rows<StockRow>(`SELECT l.site, p.sku, l.code AS location, s.on_hand AS onHand, s.reserved FROM stock_levels s
        JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id ORDER BY p.sku, l.site, l.code`),
    ledgerSums: () =>
      rows<{
        site: string
        sku: string
        location: string
        total: string
      }>(`SELECT l.site, p.sku, l.code AS location, SUM(m.qty_delta) AS total
        FROM stock_movements m JOIN products p ON p.id = m.product_id JOIN locations l ON l.id = m.location_id
        GROUP BY p.sku, l.site, l.code ORDER BY p.sku, l.site, l.code`),
    lotSums: () =>
      rows<{ site: string; sku: string; location: string; total: string }>(`SELECT l.site, p.sku, l.code AS location, SUM(t.qty) AS total
        FROM lots t JOIN products p ON p.id = t.product_id JOIN locations l ON l.id = t.location_id
        GROUP BY p.sku, l.site, l.code ORDER BY p.sku, l.site, l.code`),
    /**
     * A site's stock as the database says every read path should show it: per product the totals
     * and per location on hand, reserved and available (available only where orders may reserve).
     */
    async siteStock(site: string): Promise<Record<string, SiteProduct>> {
      const levels = await rows<{ sku: string; location: string; onHand: number; reserved: number; reservable: number }>(
        `SELECT p.sku, l.code AS location, s.on_hand AS onHand, s.reserved, l.reservable AND l.active AS reservable FROM stock_levels s
         JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id WHERE l.site = ? AND s.version > 0`,
        [site],
      )
      const out: Record<string, SiteProduct> = {}
      for (const l of levels) {
        const product = (out[l.sku] ??= { onHand: 0, reserved: 0, available: 0, locations: {} })
        const available = l.reservable ? l.onHand - l.reserved : 0
        product.locations[l.location] = { onHand: l.onHand, reserved: l.reserved, available }
        product.onHand += l.onHand
        product.reserved += l.reserved
        product.available += available
      }
      return out
    },
    movementCount: async (eventId: string) =>
      (await rows<{ n: number }>('SELECT COUNT(*) AS n FROM stock_movements WHERE event_id = ? AND leg = 0', [eventId]))[0]!.n,
    cache,
    /**
     * I1 and I5: per product and location, ledger sum = stock level = lots = cache. The cache is written
     * beside the acks, after the commit, so it gets `settleMs` to converge; returns what still differs.
     */
    async inconsistencies(settleMs = 2000): Promise<string[]> {
      const deadline = Date.now() + settleMs
      let problems = await this.compare()
      while (problems.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50))
        problems = await this.compare()
      }
      return problems
    },
    async compare(): Promise<string[]> {
      const problems: string[] = []
      const levels = await this.levels()
      const byLevel = (sums: { site: string; sku: string; location: string; total: string }[]) =>
        new Map(sums.map((r) => [`${r.site}:${r.sku}@${r.location}`, Number(r.total)]))
      const sums = byLevel(await this.ledgerSums())
      const lots = byLevel(await this.lotSums())
      for (const l of levels) {
        const key = `${l.site}:${l.sku}@${l.location}`
        if ((sums.get(key) ?? 0) !== l.onHand) problems.push(`${key}: ledger ${sums.get(key)} != on_hand ${l.onHand}`)
        if ((lots.get(key) ?? 0) !== l.onHand) problems.push(`${key}: lots ${lots.get(key)} != on_hand ${l.onHand}`)
        const cached = (await cache.read(l.site, l.sku))?.locations[l.location]
        if ((cached?.onHand ?? 0) !== l.onHand) problems.push(`${key}: cache ${cached?.onHand} != on_hand ${l.onHand}`)
      }
      return problems
    },
    async close() {
      await db.end().catch(() => undefined) // it may have died with a killed server
      await pool.end()
      await redis.close()
    },
  }
}

export type Inspector = Awaited<ReturnType<typeof openInspector>>
