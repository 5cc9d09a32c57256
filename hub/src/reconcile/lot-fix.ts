import { fefo, UNNAMED_LOT, type LotState } from '../stock/lot-plan.ts'

/** One lot's change; no id means the unnamed lot is created. */
export interface LotChange {
  id?: number
  lotCode: string
  before: number
  after: number
}

/**
 * How a level's lots are brought to its on_hand (`target`, never negative). The difference goes
 * to the unnamed lot (created when missing) as long as that stays >= 0: units nobody can name are
 * the first to have been miscounted. A shortfall larger than the unnamed lot empties it and takes
 * the rest from the named lots in FEFO order, as a pick would have.
 */
export function planLotFix(lots: readonly LotState[], target: number): LotChange[] {
  const diff = target - lots.reduce((n, l) => n + l.qty, 0)
  if (diff === 0) return []
  const unnamed = lots.find((l) => l.code === UNNAMED_LOT)
  if (diff > 0) {
    return unnamed
      ? [{ id: unnamed.id, lotCode: UNNAMED_LOT, before: unnamed.qty, after: unnamed.qty + diff }]
      : [{ lotCode: UNNAMED_LOT, before: 0, after: diff }]
  }
  let excess = -diff
  const changes: LotChange[] = []
  for (const lot of [...(unnamed ? [unnamed] : []), ...lots.filter((l) => l.code !== UNNAMED_LOT).sort(fefo)]) {
    if (excess === 0) break
    const take = Math.min(lot.qty, excess)
    if (take === 0) continue
    changes.push({ id: lot.id, lotCode: lot.code, before: lot.qty, after: lot.qty - take })
    excess -= take
  }
  return changes
}
