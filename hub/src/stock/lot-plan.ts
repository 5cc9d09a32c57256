/** One lot of a product at a location, as locked by the batch; `id` is unset until it is first written. */
export interface LotState {
  id?: number
  productId: number
  locationId: number
  code: string
  /** ISO date, or null when the lot has none (it is then picked after every dated lot). */
  expiry: string | null
  qty: number
  poNumber: string | null
}

/** Part of a movement leg taken from or put into one lot. */
export interface LotShare {
  lot: LotState
  qtyDelta: number
}

/** The lot stock without a lot code is kept in. */
export const UNNAMED_LOT = ''

/** First expiry first, undated last; within one expiry the oldest lot first (ids grow with receipt). */
export function fefo(a: LotState, b: LotState): number {
  if (a.expiry !== b.expiry) {
    if (a.expiry === null) return 1
    if (b.expiry === null) return -1
    return a.expiry < b.expiry ? -1 : 1
  }
  return (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER)
}

/** Puts `qty` into the lot with this code, creating it with the receipt's expiry and PO when new. */
export function addToLot(
  lots: LotState[],
  at: { productId: number; locationId: number },
  qty: number,
  code: string,
  origin: { expiry: string | null; poNumber: string | null },
): LotShare {
  let lot = lots.find((l) => l.code === code)
  if (!lot) {
    lot = { productId: at.productId, locationId: at.locationId, code, qty: 0, expiry: origin.expiry, poNumber: origin.poNumber }
    lots.push(lot)
  }
  lot.qty += qty
  return { lot, qtyDelta: qty }
}

/**
 * Takes `qty` from the named lot, or FEFO then FIFO across the location's lots. Returns the shares
 * taken, or null when the named lot holds less. Stock the lots do not account for (drift that
 * reconciliation will correct) is taken without a share rather than refused.
 */
export function takeFromLots(lots: LotState[], qty: number, code?: string): LotShare[] | null {
  if (code !== undefined) {
    const lot = lots.find((l) => l.code === code)
    if (!lot || lot.qty < qty) return null
    lot.qty -= qty
    return [{ lot, qtyDelta: -qty }]
  }
  const shares: LotShare[] = []
  let left = qty
  for (const lot of lots.filter((l) => l.qty > 0).sort(fefo)) {
    if (left === 0) break
    const take = Math.min(lot.qty, left)
    lot.qty -= take
    left -= take
    shares.push({ lot, qtyDelta: -take })
  }
  return shares
}

/** The lot code a movement row names: the one lot it touched, else none (its lot shares say). */
export const singleLot = (shares: LotShare[]) => (shares.length === 1 ? shares[0]!.lot.code || null : null)
