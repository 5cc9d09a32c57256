import type { Pool } from 'mysql2/promise'
import type { Finding } from '@wh/shared'
import { locations } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import type { PublishedLevel, StockPublisher } from '../stock/stock-publisher.ts'
import type { CacheCheck, DbLevel } from './cache-check.ts'
import { isDiscrepant, readLevelStates, readProducts, recheck, type LevelState, type ProductSlice } from './level-checks.ts'
import { correctLevel, type RunContext } from './level-corrector.ts'
import { saveCheckpoints, type LedgerSum } from './ledger-checkpoints.ts'

/** Levels corrected at once, each in its own transaction. */
const CORRECTING = 4

/** What a dry run would do with a level's discrepancy: report it as the corrector would find it. */
export function describeFinding(f: LevelState, names: { sku: string; location: string }): Finding[] {
  const needsAdmin = f.ledger < 0 || f.active < 0 || f.active > f.ledger
  const outcome = needsAdmin ? 'needs-admin' : 'dry-run'
  const at = { sku: names.sku, location: names.location, outcome } as const
  const lotTarget = needsAdmin ? f.onHand : f.ledger
  return [
    ...(f.onHand !== f.ledger ? [{ check: 'ledger' as const, found: f.onHand, expected: f.ledger, ...at }] : []),
    ...(f.reserved !== f.active ? [{ check: 'reserved' as const, found: f.reserved, expected: f.active, ...at }] : []),
    ...(f.lots !== lotTarget ? [{ check: 'lots' as const, found: f.lots, expected: lotTarget, ...at }] : []),
  ]
}

async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  return results
}

export interface SliceData {
  levels: LevelState[]
  /** The ledger sums read from checkpoints, and the horizon their next ones reach (incremental runs). */
  checkpoints: LedgerSum[]
  horizon?: string
  skus: Map<number, string>
  /** Each product's cache hash as read. */
  cached: Map<number, Record<string, string>>
}

/**
 * One step of a run over a slice of products: read everything the checks need (levels with their
 * ledger, reservation and lot sums, and the cache hashes, all at once), then correct each
 * discrepant level, then compare the cache with the corrected database.
 */
export function createSliceStep(pool: Pool, stock: Pick<StockPublisher, 'levels'>, cacheCheck: CacheCheck) {
  let codes = new Map<number, string>()
  /** Location codes by id, read again when a location appears that was not there before. */
  async function locationCodes(ids: Iterable<number>) {
    for (const id of ids) {
      if (codes.has(id)) continue
      const [rows] = await pool.query<Row<typeof locations, 'id' | 'code'>[]>(`SELECT ${columns(locations, ['id', 'code'])} FROM locations`)
      codes = new Map(rows.map((r) => [r.id, r.code]))
      break
    }
    return (id: number) => codes.get(id) ?? String(id)
  }

  return {
    async load(slice: ProductSlice): Promise<SliceData> {
      const [{ states: levels, checkpoints }, products] = await Promise.all([
        readLevelStates(pool, slice),
        readProducts(pool, slice).then(async (skus) => ({ skus, cached: await cacheCheck.read([...skus.values()]) })),
      ])
      const cached = new Map([...products.skus.keys()].map((id, i) => [id, products.cached[i]!]))
      return { levels, checkpoints, horizon: 'ids' in slice ? slice.horizon : undefined, skus: products.skus, cached }
    },

    /** Checks (and unless `dryRun` corrects) a loaded slice; returns its findings, resolved ones included. */
    async process(data: SliceData, ctx: RunContext, dryRun: boolean) {
      const { skus } = data
      const codeOf = await locationCodes(new Set(data.levels.map((l) => l.locationId)))
      const byProduct = new Map<number, Map<string, DbLevel>>([...skus.keys()].map((id) => [id, new Map()]))
      for (const l of data.levels) {
        if (!l.hasLevel) continue
        const location = codeOf(l.locationId)
        byProduct
          .get(l.productId)
          ?.set(location, { location, onHand: l.onHand, reserved: l.reserved, version: l.version, recent: l.recent })
      }
      // The reads above were several statements, each its own moment: a level changing meanwhile
      // may look discrepant, so suspects are read again in one snapshot before anything is locked
      // or reported. A correction re-checks under the level's lock, against its whole ledger.
      const drift = await recheck(pool, data.levels.filter(isDiscrepant), dryRun ? undefined : data.horizon)
      const findings: Finding[] = []
      const republish: PublishedLevel[] = []
      const wouldRepublish = new Set<string>()
      const named = drift.map((f) => ({ f, at: { sku: skus.get(f.productId) ?? String(f.productId), location: codeOf(f.locationId) } }))
      if (dryRun) {
        for (const { f, at } of named) {
          const found = describeFinding(f, at)
          findings.push(...found)
          if (found.some((x) => x.outcome === 'dry-run' && x.check !== 'lots')) wouldRepublish.add(`${at.sku}@${at.location}`)
        }
      } else {
        const results = await mapLimit(named, CORRECTING, ({ f, at }) => correctLevel(pool, f, at, ctx))
        named.forEach(({ f, at }, i) => {
          const { findings: found, changed } = results[i]!
          findings.push(...found)
          if (!changed) return
          republish.push({ ...at, ...changed })
          byProduct.get(f.productId)?.set(at.location, { location: at.location, ...changed, recent: false })
        })
        // Version-guarded, like any writer's publish; a cache holding higher versions is the cache check's job.
        await stock.levels(republish, { markDirty: false })
        if (data.horizon)
          await saveCheckpoints(
            pool,
            data.checkpoints,
            data.horizon,
            drift.map((l) => [l.productId, l.locationId]),
          )
      }
      const republishedSkus = new Set(republish.map((l) => l.sku))
      const republished = [...skus].filter(([, sku]) => republishedSkus.has(sku))
      const reread = await cacheCheck.read(republished.map(([, sku]) => sku))
      republished.forEach(([id], i) => data.cached.set(id, reread[i]!))
      const views = [...skus].map(([productId, sku]) => ({
        productId,
        sku,
        levels: [...(byProduct.get(productId)?.values() ?? [])],
        cached: data.cached.get(productId) ?? {},
      }))
      findings.push(...(await cacheCheck.check(views, ctx, dryRun, wouldRepublish)))
      return { findings, products: skus.size, rows: data.levels.filter((l) => l.hasLevel && l.inScope).length }
    },
  }
}
