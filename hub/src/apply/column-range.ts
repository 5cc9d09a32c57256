/**
 * The largest quantity the stock columns can record. stock_levels.on_hand and reserved, lots.qty,
 * stock_movements.qty_delta and on_hand_after, lot_movements.qty_delta and po_lines.qty_received
 * are all MySQL INT, signed 32 bits (hub/src/db/schema; a unit test keeps the two in step). The
 * planner refuses what would pass it: in strict mode the database would fail the whole batch.
 */
export const QTY_COLUMN_MAX = 2 ** 31 - 1

/**
 * The total `qty` more would make at a level or the fullest of its lots, when that passes the
 * columns' range; undefined when it fits. Lots sum to the level, so the lot only matters when they
 * have drifted apart (reconciliation repairs that later).
 */
export function pastColumnRange(onHand: number, lots: readonly { qty: number }[], qty: number): number | undefined {
  const total = Math.max(onHand, ...lots.map((l) => l.qty)) + qty
  return total > QTY_COLUMN_MAX ? total : undefined
}
