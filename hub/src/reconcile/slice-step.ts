import type { Pool } from 'mysql2/promise'
import type { Finding } from '@wh/shared'
import { locations } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import type { PublishedLevel, StockPublisher } from '../stock/stock-publisher.ts'
import { levelName, type CacheCheck, type DbLevel, type ProductView } from './cache-check.ts'
import { isDiscrepant, readLevelStates, readProducts, recheck, type LevelState, type ProductSlice } from './level-checks.ts'
import { correctLevel, type RunContext } from './level-corrector.ts'
import { saveCheckpoints, type LedgerSum } from './ledger-checkpoints.ts'

/** Levels corrected at once, each in its own transaction. */
const CORRECTING = 4

/** What a dry run would do with a level's discrepancy: report it as the corrector would find it. */
export function describeFinding(f: LevelState, names: { site: string; sku: string; location: string }): Finding[] {
  const needsAdmin = f.ledger < 0 || f.active < 0 || f.active > f.ledger
  const outcome = needsAdmin ? 'needs-admin' : 'dry-run'
  const at = { site: names.site, sku: names.sku, location: names.location, outcome } as const
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
  /** Each product's cache hashes as read, by site (every site the cache knows). */
  cached: Map<number, Map<string, Record<string, string>>>
}

/**
 * One step of a run over a slice of products: read everything the checks need (levels with their
 * ledger, reservation and lot sums, and the cache hashes, all at once), then correct each
 * discrepant level, then compare the cache with the corrected database.
 */
export function createSliceStep(pool: Pool, stock: Pick<StockPublisher, 'levels'>, cacheCheck: CacheCheck) {
  /** The slice's locations as they are now (a location made unreservable changes what the cache should hold). */
  async function locationFacts(ids: Set<number>) {
    if (ids.size === 0) return () => undefined
    const [rows] = await pool.query<Row<typeof locations, 'id' | 'site' | 'code' | 'sellable'>[]>(
      `SELECT ${columns(locations, ['id', 'site', 'code', 'sellable'])} FROM locations WHERE id IN (?)`,
      [[...ids]],
    )
    const byId = new Map(rows.map((r) => [r.id, { site: r.site, code: r.code, reservable: Boolean(r.sellable) }]))
    return (id: number) => byId.get(id)
  }

  return {
    async load(slice: ProductSlice): Promise<SliceData> {
      const [{ states: levels, checkpoints }, products] = await Promise.all([
        readLevelStates(pool, slice),
        readProducts(pool, slice).then(async (skus) => ({ skus, cached: await cacheCheck.readSites([...skus.values()]) })),
      ])
      const cached = new Map([...products.skus.keys()].map((id, i) => [id, products.cached[i]!]))
      return { levels, checkpoints, horizon: 'ids' in slice ? slice.horizon : undefined, skus: products.skus, cached }
    },

    /** Checks (and unless `dryRun` corrects) a loaded slice; returns its findings, resolved ones included. */
    async process(data: SliceData, ctx: RunContext, dryRun: boolean) {
      const { skus } = data
      const factsOf = await locationFacts(new Set(data.levels.map((l) => l.locationId)))
      const nameOf = (locationId: number) => {
        const at = factsOf(locationId)
        return { site: at?.site ?? '?', location: at?.code ?? String(locationId), reservable: at?.reservable ?? false }
      }
      /** The database's levels per product, per site, per location code. */
      const byProduct = new Map<number, Map<string, Map<string, DbLevel>>>([...skus.keys()].map((id) => [id, new Map()]))
      const levelsAt = (productId: number, site: string) => {
        const sites = byProduct.get(productId)
        if (!sites) return undefined
        if (!sites.has(site)) sites.set(site, new Map())
        return sites.get(site)!
      }
      for (const l of data.levels) {
        if (!l.hasLevel) continue
        const { site, location, reservable } = nameOf(l.locationId)
        levelsAt(l.productId, site)?.set(location, {
          location,
          onHand: l.onHand,
          reserved: l.reserved,
          version: l.version,
          reservable,
          recent: l.recent,
        })
      }
      // The reads above were several statements, each its own moment: a level changing meanwhile
      // may look discrepant, so suspects are read again in one snapshot before anything is locked
      // or reported. A correction re-checks under the level's lock, against its whole ledger.
      const drift = await recheck(pool, data.levels.filter(isDiscrepant), dryRun ? undefined : data.horizon)
      const findings: Finding[] = []
      const republish: PublishedLevel[] = []
      const wouldRepublish = new Set<string>()
      const named = drift.map((f) => {
        const { site, location, reservable } = nameOf(f.locationId)
        return { f, reservable, at: { site, sku: skus.get(f.productId) ?? String(f.productId), location } }
      })
      if (dryRun) {
        for (const { f, at } of named) {
          const found = describeFinding(f, at)
          findings.push(...found)
          if (found.some((x) => x.outcome === 'dry-run' && x.check !== 'lots')) wouldRepublish.add(levelName(at.site, at.location, at.sku))
        }
      } else {
        const results = await mapLimit(named, CORRECTING, ({ f, at }) => correctLevel(pool, f, at, ctx))
        named.forEach(({ f, at, reservable }, i) => {
          const { findings: found, changed } = results[i]!
          findings.push(...found)
          if (!changed) return
          republish.push({ sku: at.sku, location: at.location, locationId: f.locationId, ...changed })
          levelsAt(f.productId, at.site)?.set(at.location, { location: at.location, ...changed, reservable, recent: false })
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
      // One view per product and site that the database or the cache has; hashes republished
      // above, or of a site the cache did not know when the slice was read, are read now.
      const republished = new Set(republish.map((l) => `${nameOf(l.locationId).site}|${l.sku}`))
      const views: ProductView[] = []
      for (const [productId, sku] of skus) {
        const cached = data.cached.get(productId) ?? new Map<string, Record<string, string>>()
        const sites = new Set([...(byProduct.get(productId)?.keys() ?? []), ...cached.keys()])
        for (const site of [...sites].sort())
          views.push({
            productId,
            site,
            sku,
            levels: [...(byProduct.get(productId)?.get(site)?.values() ?? [])],
            cached: cached.get(site) ?? {},
          })
      }
      const stale = views.filter((v) => republished.has(`${v.site}|${v.sku}`) || !data.cached.get(v.productId)?.has(v.site))
      const reread = await cacheCheck.read(stale)
      stale.forEach((v, i) => (v.cached = reread[i]!))
      findings.push(...(await cacheCheck.check(views, ctx, dryRun, wouldRepublish)))
      // Levels checked per site, for each site's floor screens.
      const rows = new Map<string, number>()
      for (const l of data.levels) {
        if (!l.hasLevel || !l.inScope) continue
        const { site } = nameOf(l.locationId)
        rows.set(site, (rows.get(site) ?? 0) + 1)
      }
      return { findings, products: skus.size, rows }
    },
  }
}
