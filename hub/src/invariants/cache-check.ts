import type { LiveCache } from '../live/live-cache.ts'
import type { StoredLevel } from './store-checks.ts'
import { REPORT_LIMIT, type Violation } from './violation.ts'

/**
 * I1, cache side: every stock level's on hand and reserved as the Redis cache has them, and each
 * cached product's totals as the sum of its locations. A level the cache lacks counts as zero
 * there, so an empty level need not be cached.
 */
export async function checkCache(cache: Pick<LiveCache, 'snapshot'>, levels: StoredLevel[]): Promise<Violation[]> {
  const { data } = await cache.snapshot()
  const cached = new Map(data.map((p) => [p.sku, p]))
  const violations: Violation[] = []
  const seen = new Set<string>()
  const report = (detail: string) => violations.length < REPORT_LIMIT && violations.push({ invariant: 'I1', detail })
  for (const level of levels) {
    seen.add(`${level.sku}@${level.location}`)
    const at = cached.get(level.sku)?.locations[level.location]
    const onHand = at?.onHand ?? 0
    const reserved = at?.reserved ?? 0
    if (onHand !== level.onHand || reserved !== level.reserved)
      report(`${level.sku}@${level.location}: cache ${onHand}/${reserved} != database ${level.onHand}/${level.reserved} (on hand/reserved)`)
  }
  for (const product of data) {
    const locations = Object.entries(product.locations)
    const sum = locations.reduce((a, [, l]) => a + l.onHand, 0)
    if (sum !== product.onHand) report(`${product.sku}: cached total ${product.onHand} != its locations' sum ${sum}`)
    for (const [code, l] of locations)
      if (!seen.has(`${product.sku}@${code}`) && l.onHand !== 0) report(`${product.sku}@${code}: cached ${l.onHand} with no stock level`)
  }
  return violations
}
