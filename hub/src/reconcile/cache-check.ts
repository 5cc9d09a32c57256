import { setTimeout as sleep } from 'node:timers/promises'
import type { Pool, RowDataPacket } from 'mysql2/promise'
import type { Finding } from '@wh/shared'
import { inTransaction } from '../db/transaction.ts'
import type { LiveCache } from '../live/live-cache.ts'
import type { Redis } from '../plugins/infra/redis.ts'
import { auditReason, writeAudit, type RunContext } from './level-corrector.ts'
import { readLevels, type DbLevel, type ProductSlice } from './level-checks.ts'

/** How long a cache that is only behind the database gets to catch up (a publish right after a commit). */
const SETTLE_MS = 100

type Fields = Record<string, string>

/** The cache hash fields the database's levels of one product should give (`l:{code}` = "onHand:reserved:version"). */
const expectedFields = (levels: DbLevel[]): Fields =>
  Object.fromEntries(levels.map((l) => [`l:${l.location}`, `${l.onHand}:${l.reserved}:${l.version}`]))

const version = (value: string | undefined) => (value === undefined ? -1 : Number(value.split(':')[2]))
const onHandOf = (fields: Fields) => Object.values(fields).reduce((n, v) => n + Number(v.split(':')[0]), 0)

/** The fields that differ; `behind` when the cache only lacks newer versions (a publish may be on its way). */
export function compareFields(expected: Fields, cached: Fields) {
  const fields = [...new Set([...Object.keys(expected), ...Object.keys(cached)])].filter((f) => expected[f] !== cached[f])
  return {
    fields,
    behind: fields.length > 0 && fields.every((f) => expected[f] !== undefined && version(cached[f]) < version(expected[f])),
  }
}

/**
 * Cache = database, per product. Differences are found without locks; a product whose cache is
 * only behind gets a moment to catch up (its publish follows its commit), then is read again.
 * What still differs is repaired under the levels' row locks: the product's hash is replaced by
 * the database's levels and a delta goes out (a tampered cache may carry versions higher than the
 * database's, which the version-guarded writes would never overwrite). A deleted hash is found as
 * every level missing.
 */
export function createCacheCheck(pool: Pool, redis: Redis, cache: LiveCache) {
  const readCache = (skus: string[]) => Promise.all(skus.map((sku) => redis.hGetAll(cache.keys.product(sku))))

  async function differing(slice: ProductSlice, skip: ReadonlySet<string>) {
    const { skus, levels } = await readLevels(pool, slice)
    const byProduct = new Map<number, DbLevel[]>([...skus.keys()].map((id) => [id, []]))
    for (const l of levels) byProduct.get(l.productId)?.push(l)
    const products = [...byProduct]
    const cached = await readCache(products.map(([id]) => skus.get(id)!))
    const out = products.flatMap(([productId, ls], i) => {
      const sku = skus.get(productId)!
      const unskipped = (fields: Fields) => Object.fromEntries(Object.entries(fields).filter(([f]) => !skip.has(`${sku}@${f.slice(2)}`)))
      const expected = expectedFields(ls)
      const diff = compareFields(unskipped(expected), unskipped(cached[i]!))
      return diff.fields.length > 0 ? [{ productId, sku: skus.get(productId)!, expected, cached: cached[i]!, ...diff }] : []
    })
    return { products: skus.size, rows: levels.length, out }
  }

  async function repair(productId: number, sku: string, ctx: RunContext): Promise<Finding | undefined> {
    return inTransaction(pool, async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>(
        `SELECT l.code, s.on_hand, s.reserved, s.version FROM stock_levels s JOIN locations l ON l.id = s.location_id
         WHERE s.product_id = ? ORDER BY s.location_id FOR UPDATE`,
        [productId],
      )
      const states = rows.map((r) => ({ location: r.code as string, onHand: r.on_hand, reserved: r.reserved, version: Number(r.version) }))
      const expected = expectedFields(states.map((s) => ({ ...s, productId, sku })))
      const cached = (await readCache([sku]))[0]!
      const { fields } = compareFields(expected, cached)
      if (fields.length === 0) return undefined
      await cache.repair([{ sku, states }])
      const locations = fields.map((f) => f.slice(2))
      await writeAudit(conn, [
        {
          entity: 'cache',
          entityId: sku,
          reason: auditReason(ctx, `cache differs from the database at ${locations.join(', ')}`),
          before: { sku, fields: cached },
          after: {
            sku,
            fields: expected,
            diff: Object.fromEntries(fields.map((f) => [f.slice(2), { cache: cached[f] ?? null, db: expected[f] ?? null }])),
          },
        },
      ])
      return {
        check: 'cache',
        sku,
        location: locations.join(','),
        found: onHandOf(cached),
        expected: onHandOf(expected),
        outcome: 'corrected',
      }
    })
  }

  return {
    /**
     * Checks the slice's products; repairs what differs unless `dryRun`. One finding per product.
     * `skip` names levels (`sku@location`) not to compare: a dry run's levels that a real run
     * would have corrected (and so republished) before this check.
     */
    async check(slice: ProductSlice, ctx: RunContext, dryRun: boolean, skip: ReadonlySet<string> = new Set()) {
      const first = await differing(slice, skip)
      let suspects = first.out
      if (suspects.some((s) => s.behind)) {
        await sleep(SETTLE_MS)
        suspects = (await differing({ ids: suspects.map((s) => s.productId) }, skip)).out
      }
      const findings: Finding[] = []
      for (const s of suspects) {
        if (dryRun) {
          const location = s.fields.map((f) => f.slice(2)).join(',')
          findings.push({
            check: 'cache',
            sku: s.sku,
            location,
            found: onHandOf(s.cached),
            expected: onHandOf(s.expected),
            outcome: 'dry-run',
          })
        } else {
          findings.push(
            (await repair(s.productId, s.sku, ctx)) ?? { check: 'cache', sku: s.sku, found: 0, expected: 0, outcome: 'resolved' },
          )
        }
      }
      return { products: first.products, rows: first.rows, findings }
    },
  }
}

export type CacheCheck = ReturnType<typeof createCacheCheck>
