import type { ReservableLevel } from '../stock/stock-locks.ts'

export interface OrderLine {
  sku: string
  productId: number
  qty: number
}

export interface Allocation {
  line: OrderLine
  level: ReservableLevel
  qty: number
}

export interface Shortage {
  sku: string
  requested: number
  available: number
}

/** Pick faces first (the picker walks there anyway), then reserve racks, then the receiving dock. */
const ZONE_PRIORITY = ['pick-face', 'reserve', 'receiving']

const rank = (zone: string) => {
  const i = ZONE_PRIORITY.indexOf(zone)
  return i < 0 ? ZONE_PRIORITY.length : i
}
const available = (l: ReservableLevel) => l.onHand - l.reserved

/**
 * Spreads each line over its product's reservable levels (lockSiteLevels reads no others: a
 * shipping lane's stock belongs to orders already shipped) by a fixed rule: zone priority, then the most
 * available first (fewest locations to visit), then location code. All lines or none: any line
 * short gives the shortages instead.
 */
export function allocate(lines: OrderLine[], levels: ReservableLevel[]): { allocations: Allocation[] } | { shortages: Shortage[] } {
  const byProduct = new Map<number, ReservableLevel[]>()
  for (const l of levels) byProduct.set(l.productId, [...(byProduct.get(l.productId) ?? []), l])
  const allocations: Allocation[] = []
  const shortages: Shortage[] = []
  for (const line of lines) {
    const candidates = (byProduct.get(line.productId) ?? [])
      .filter((l) => available(l) > 0)
      .sort((a, b) => rank(a.zone) - rank(b.zone) || available(b) - available(a) || a.location.localeCompare(b.location))
    const total = candidates.reduce((n, l) => n + available(l), 0)
    if (total < line.qty) {
      shortages.push({ sku: line.sku, requested: line.qty, available: total })
      continue
    }
    let left = line.qty
    for (const level of candidates) {
      if (left === 0) break
      const qty = Math.min(left, available(level))
      allocations.push({ line, level, qty })
      left -= qty
    }
  }
  return shortages.length > 0 ? { shortages } : { allocations }
}
