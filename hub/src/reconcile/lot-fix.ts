/** A lot of one level, as the corrector reads it (locked). */
export interface LotRow {
  id: number
  lotCode: string
  /** YYYY-MM-DD, or null for a lot without one (it expires last). */
  expiry: string | null
  qty: number
}

/** One lot's change; no id means the unnamed lot is created. */
export interface LotChange {
  id?: number
  lotCode: string
  before: number
  after: number
}

/** First expiry first; lots without an expiry last; then the older row. */
const fefo = (a: LotRow, b: LotRow) =>
  a.expiry === b.expiry ? a.id - b.id : a.expiry === null ? 1 : b.expiry === null ? -1 : a.expiry < b.expiry ? -1 : 1

/**
 * How a level's lots are brought to its on_hand (`target`, never negative). The difference goes
 * to the unnamed lot `''` (created when missing) as long as that stays >= 0: units nobody can
 * name are the first to have been miscounted. A shortfall larger than the unnamed lot empties it
 * and takes the rest from the named lots in FEFO order, as a pick would have.
 */
export function planLotFix(lots: LotRow[], target: number): LotChange[] {
  const diff = target - lots.reduce((n, l) => n + l.qty, 0)
  if (diff === 0) return []
  const unnamed = lots.find((l) => l.lotCode === '')
  if (diff > 0) {
    return unnamed
      ? [{ id: unnamed.id, lotCode: '', before: unnamed.qty, after: unnamed.qty + diff }]
      : [{ lotCode: '', before: 0, after: diff }]
  }
  let excess = -diff
  const changes: LotChange[] = []
  for (const lot of [...(unnamed ? [unnamed] : []), ...lots.filter((l) => l.lotCode !== '').sort(fefo)]) {
    if (excess === 0) break
    const take = Math.min(lot.qty, excess)
    if (take === 0) continue
    changes.push({ id: lot.id, lotCode: lot.lotCode, before: lot.qty, after: lot.qty - take })
    excess -= take
  }
  return changes
}
