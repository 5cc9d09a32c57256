import type { ProductStock } from '@wh/shared/live'
import type { LiveCache } from '../live/live-cache.ts'
import type { StoredLevel } from './store-checks.ts'
import { REPORT_LIMIT, type Violation } from './violation.ts'

/**
 * I1, cache side: every stock level's on hand, reserved and available (what a stock check answers
 * from, so only where orders may reserve) as the Redis cache has them at the level's site, and
 * each cached product's totals as the sum of its locations there. A level the
 * cache lacks counts as zero there, so an empty level need not be cached.
 */
export async function checkCache(cache: Pick<LiveCache, 'snapshot' | 'sites'>, levels: StoredLevel[]): Promise<Violation[]> {
  const sites = [...new Set([...(await cache.sites()), ...levels.map((l) => l.site)])]
  const data: ProductStock[] = (await Promise.all(sites.map((site) => cache.snapshot(site)))).flatMap((s) => s.data)
  const name = (site: string, sku: string, location?: string) => `${site}:${sku}${location === undefined ? '' : `@${location}`}`
  const cached = new Map(data.map((p) => [name(p.site, p.sku), p]))
  const violations: Violation[] = []
  const seen = new Set<string>()
  const report = (detail: string) => violations.length < REPORT_LIMIT && violations.push({ invariant: 'I1', detail })
  for (const level of levels) {
    const at = name(level.site, level.sku, level.location)
    seen.add(at)
    const there = cached.get(name(level.site, level.sku))?.locations[level.location]
    const onHand = there?.onHand ?? 0
    const reserved = there?.reserved ?? 0
    const available = there?.available ?? 0
    if (onHand !== level.onHand || reserved !== level.reserved || available !== level.available)
      report(
        `${at}: cache ${onHand}/${reserved}/${available} != database ${level.onHand}/${level.reserved}/${level.available} (on hand/reserved/available)`,
      )
  }
  for (const product of data) {
    const locations = Object.entries(product.locations)
    const sum = locations.reduce((a, [, l]) => a + l.onHand, 0)
    if (sum !== product.onHand) report(`${name(product.site, product.sku)}: cached total ${product.onHand} != its locations' sum ${sum}`)
    for (const [code, l] of locations) {
      const at = name(product.site, product.sku, code)
      if (!seen.has(at) && l.onHand !== 0) report(`${at}: cached ${l.onHand} with no stock level`)
    }
  }
  return violations
}
