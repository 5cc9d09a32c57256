import { setTimeout as sleep } from 'node:timers/promises'
import type { Pool } from 'mysql2/promise'
import type { Finding } from '@wh/shared'
import { locations as locationsTable, stockLevels } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import { columns, type Packet, type Row } from '../db/typed-rows.ts'
import { fieldValue, type LiveCache, type LocationState } from '../live/live-cache.ts'
import type { Redis } from '../redis/redis-client.ts'
import { scripts } from '../redis/scripts.ts'
import { auditStatement } from '../stock/audit-log.ts'
import { auditReason, corrected, type RunContext } from './level-corrector.ts'

/** How long a cache that may only be waiting for a publish (right after a commit) gets to catch up. */
const SETTLE_MS = 100

type Fields = Record<string, string>

/** A level as the cache should hold it. */
export interface DbLevel extends LocationState {
  /** Changed in the last few seconds (see LevelState.recent). */
  recent: boolean
}

/** The cache hash fields the database's levels of one product at one site should give (`l:{code}` = "onHand:reserved:version:r"). */
const expectedFields = (levels: DbLevel[]): Fields => Object.fromEntries(levels.map((l) => [`l:${l.location}`, fieldValue(l)]))

const version = (value: string | undefined) => (value === undefined ? -1 : Number(value.split(':')[2]))
const onHandOf = (fields: Fields) => Object.values(fields).reduce((n, v) => n + Number(v.split(':')[0]), 0)

/**
 * The fields that differ, and whether the difference may only be a publish on its way: every
 * differing field is older in the cache than in the database, or missing for a level that just changed.
 */
export function compareFields(levels: DbLevel[], cached: Fields, skip: (location: string) => boolean = () => false) {
  const expected = expectedFields(levels)
  // The usual case, kept cheap: the hash holds exactly the expected fields.
  const keys = Object.keys(expected)
  if (keys.length === Object.keys(cached).length && keys.every((f) => expected[f] === cached[f])) {
    return { expected, fields: [] as string[], maybeInFlight: false }
  }
  const recent = new Set(levels.filter((l) => l.recent).map((l) => `l:${l.location}`))
  const fields = [...new Set([...Object.keys(expected), ...Object.keys(cached)])].filter(
    (f) => expected[f] !== cached[f] && !skip(f.slice(2)),
  )
  const inFlight = (f: string) =>
    expected[f] !== undefined && (cached[f] === undefined ? recent.has(f) : version(cached[f]) < version(expected[f]))
  return { expected, fields, maybeInFlight: fields.length > 0 && fields.every(inFlight) }
}

/** A product at one site: the unit the cache keeps (one hash) and the check compares. */
export interface SiteProduct {
  productId: number
  site: string
  sku: string
}

/** Input of a check: a product at a site, its levels there in the database, and its cache hash as read. */
export interface ProductView extends SiteProduct {
  levels: DbLevel[]
  cached: Fields
}

/** A level's name in skip sets and the dirty set: `{site}|{location}@{sku}`. */
export const levelName = (site: string, location: string, sku: string) => `${site}|${location}@${sku}`

/**
 * Cache = database, per product and site. Differences are found without locks; a product whose cache may
 * only be waiting for a publish gets a moment, then is read again. What still differs is
 * repaired under the levels' row locks: the product's hash at that site is replaced by the database's levels
 * and a delta goes out (a tampered cache may carry versions higher than the database's, which
 * the version-guarded writes would never overwrite). A deleted hash is found as every level missing.
 */
export function createCacheCheck(pool: Pool, redis: Redis, cache: LiveCache) {
  /** The cache hashes of these products at their sites, in order. */
  async function read(products: readonly Pick<SiteProduct, 'site' | 'sku'>[]): Promise<Fields[]> {
    if (products.length === 0) return []
    const replies = await scripts.cacheReadHashes(
      redis,
      products.map((p) => cache.keys.product(p.site, p.sku)),
      [],
    )
    return replies.map((flat) => {
      const fields: Fields = {}
      for (let i = 0; i < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
      return fields
    })
  }

  /** The products' levels at their sites now, with their cache hashes. */
  async function reread(products: SiteProduct[]): Promise<ProductView[]> {
    const [rows] = await pool.query<
      (Row<typeof stockLevels, 'productId' | 'onHand' | 'reserved' | 'version'> &
        Row<typeof locationsTable, 'site' | 'code' | 'sellable'> &
        Packet<{ recent: number }>)[]
    >(
      `SELECT ${columns(stockLevels, ['productId'], 's')}, ${columns(locationsTable, ['site', 'code', 'sellable'], 'l')},
              ${columns(stockLevels, ['onHand', 'reserved', 'version'], 's')}, s.updated_at >= NOW(3) - INTERVAL 5 SECOND AS recent
       FROM stock_levels s JOIN locations l ON l.id = s.location_id WHERE s.product_id IN (?)`,
      [products.map((p) => p.productId)],
    )
    const cached = await read(products)
    return products.map((p, i) => ({
      ...p,
      cached: cached[i]!,
      levels: rows
        .filter((r) => r.productId === p.productId && r.site === p.site)
        .map((r) => ({
          location: r.code,
          onHand: r.onHand,
          reserved: r.reserved,
          version: Number(r.version),
          reservable: Boolean(r.sellable),
          recent: Boolean(r.recent),
        })),
    }))
  }

  async function repair({ productId, site, sku }: SiteProduct, ctx: RunContext): Promise<Finding | undefined> {
    return inTransaction(pool, async (conn) => {
      // Every level row of the product (so no level of it can appear meanwhile), the locations read
      // beside them unlocked: joined to locations, the locking read would lock their rows too and
      // hold up every scan there (see orders/level-locks.ts). Only the site's levels are repaired.
      const [rows, places] = await runStatements(conn, [
        {
          sql: `SELECT ${columns(stockLevels, ['locationId', 'onHand', 'reserved', 'version'])} FROM stock_levels
                 WHERE product_id = ? ORDER BY location_id FOR UPDATE`,
          values: [productId],
        },
        {
          sql: `SELECT ${columns(locationsTable, ['id', 'code', 'sellable'])} FROM locations
                 WHERE site = ? AND id IN (SELECT location_id FROM stock_levels WHERE product_id = ?)`,
          values: [site, productId],
        },
      ])
      const at = new Map((places as Row<typeof locationsTable, 'id' | 'code' | 'sellable'>[]).map((r) => [r.id, r]))
      const states = (rows as Row<typeof stockLevels, 'locationId' | 'onHand' | 'reserved' | 'version'>[]).flatMap((r) => {
        const place = at.get(r.locationId)
        if (!place) return []
        return [
          {
            location: place.code,
            onHand: r.onHand,
            reserved: r.reserved,
            version: Number(r.version),
            reservable: Boolean(place.sellable),
          },
        ]
      })
      const cached = (await read([{ site, sku }]))[0]!
      const { expected, fields } = compareFields(
        states.map((st) => ({ ...st, recent: false })),
        cached,
      )
      if (fields.length === 0) return undefined
      await cache.repair([{ site, sku, states }])
      const locations = fields.map((f) => f.slice(2))
      await runStatements(conn, [
        auditStatement([
          corrected({
            entity: 'cache',
            entityId: `${site}:${sku}`,
            reason: auditReason(ctx, `cache differs from the database at ${site} ${locations.join(', ')}`),
            before: { site, sku, fields: cached },
            after: {
              site,
              sku,
              fields: expected,
              diff: Object.fromEntries(fields.map((f) => [f.slice(2), { cache: cached[f] ?? null, db: expected[f] ?? null }])),
            },
          }),
        ]),
      ])
      return {
        check: 'cache',
        site,
        sku,
        location: locations.join(','),
        found: onHandOf(cached),
        expected: onHandOf(expected),
        outcome: 'corrected',
      }
    })
  }

  return {
    read,
    /** Each product's cache hashes at every site the cache knows, by site (empty hashes left out). */
    async readSites(skus: string[]): Promise<Map<string, Fields>[]> {
      const sites = await cache.sites()
      const fields = await read(skus.flatMap((sku) => sites.map((site) => ({ site, sku }))))
      return skus.map((_, i) => {
        const bySite = new Map<string, Fields>()
        sites.forEach((site, j) => {
          const f = fields[i * sites.length + j]!
          if (Object.keys(f).length > 0) bySite.set(site, f)
        })
        return bySite
      })
    },
    /**
     * Checks the products at their sites; repairs what differs unless `dryRun`. One finding per
     * product and site. `skip` names levels (`levelName`) not to compare: a dry run's levels that a
     * real run would have corrected (and so republished) before this check.
     */
    async check(products: ProductView[], ctx: RunContext, dryRun: boolean, skip: ReadonlySet<string> = new Set()) {
      const differing = (views: ProductView[]) =>
        views.flatMap((v) => {
          const diff = compareFields(v.levels, v.cached, (location) => skip.has(levelName(v.site, location, v.sku)))
          return diff.fields.length > 0 ? [{ ...v, ...diff }] : []
        })
      let suspects = differing(products)
      if (suspects.some((s) => s.maybeInFlight)) {
        await sleep(SETTLE_MS)
        suspects = differing(await reread(suspects))
      }
      const findings: Finding[] = []
      for (const s of suspects) {
        if (dryRun) {
          const location = s.fields.map((f) => f.slice(2)).join(',')
          findings.push({
            check: 'cache',
            site: s.site,
            sku: s.sku,
            location,
            found: onHandOf(s.cached),
            expected: onHandOf(s.expected),
            outcome: 'dry-run',
          })
        } else {
          findings.push((await repair(s, ctx)) ?? { check: 'cache', site: s.site, sku: s.sku, found: 0, expected: 0, outcome: 'resolved' })
        }
      }
      return findings
    },
  }
}

export type CacheCheck = ReturnType<typeof createCacheCheck>
