import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import { HubError } from '../errors.ts'
import type { Leg } from './movement-void.ts'

/** Stock received without a lot code is kept in the lot with the empty code. */
const UNNAMED_LOT = ''

interface LotRow {
  id?: number
  productId: number
  locationId: number
  code: string
  qty: number
}

export interface LegLots {
  leg: number
  shares: { lotId: number; code: string; qtyDelta: number }[]
}

/**
 * Gives back, lot by lot, what a movement's legs did to the lots (its lot_movements rows), and
 * records that under the void's event id. A lot it went through that is gone, or holds less than
 * the void takes back, refuses the void (409 LOT_SHORT). A leg with no lot rows went wholly
 * through the unnamed lot (the apply path writes no row for that common case), so it is reversed
 * through the unnamed lot, under the same rule.
 * Lots are locked by id, after the levels, as the partition batches lock them.
 */
export async function reverseLots(conn: PoolConnection, legs: Leg[], voidEventId: string): Promise<LegLots[]> {
  const [recorded] = await conn.query<RowDataPacket[]>(
    'SELECT leg, lot_id, qty_delta FROM lot_movements WHERE event_id = ? ORDER BY leg, id',
    [legs[0]!.eventId],
  )
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT id, product_id, location_id, lot_code, qty FROM lots
      WHERE (product_id, location_id) IN (?) OR id IN (?) ORDER BY id FOR UPDATE`,
    [legs.map((l) => [l.productId, l.locationId]), [0, ...recorded.map((r) => r.lot_id)]],
  )
  const lots: LotRow[] = rows.map((r) => ({
    id: Number(r.id),
    productId: r.product_id,
    locationId: r.location_id,
    code: r.lot_code,
    qty: r.qty,
  }))
  const plan: { leg: number; lot: LotRow; qtyDelta: number }[] = []
  const short: object[] = []

  const unnamedAt = (leg: Leg) => {
    let lot = lots.find((l) => l.productId === leg.productId && l.locationId === leg.locationId && l.code === UNNAMED_LOT)
    if (!lot) lots.push((lot = { productId: leg.productId, locationId: leg.locationId, code: UNNAMED_LOT, qty: 0 }))
    return lot
  }
  for (const leg of legs) {
    const recordedShares = recorded
      .filter((r) => r.leg === leg.leg)
      .map((r) => ({ lot: lots.find((l) => l.id === Number(r.lot_id)), lotId: r.lot_id, qtyDelta: r.qty_delta as number }))
    const shares = recordedShares.length > 0 ? recordedShares : [{ lot: unnamedAt(leg), lotId: null, qtyDelta: leg.qtyDelta }]
    for (const share of shares) {
      const { lot } = share
      const change = -share.qtyDelta
      if (change === 0) continue
      if (!lot || lot.qty + change < 0) {
        short.push({ sku: leg.sku, location: leg.location, lot: lot?.code ?? `#${share.lotId}`, onHand: lot?.qty ?? null, change })
        continue
      }
      lot.qty += change
      plan.push({ leg: leg.leg, lot, qtyDelta: change })
    }
  }
  if (short.length > 0) throw new HubError('LOT_SHORT', 'a lot the movement went through holds less than the void takes back', short)

  for (const lot of new Set(plan.map((p) => p.lot))) {
    const delta = plan.filter((p) => p.lot === lot).reduce((n, p) => n + p.qtyDelta, 0)
    if (lot.id !== undefined) {
      await conn.query('UPDATE lots SET qty = qty + ? WHERE id = ?', [delta, lot.id])
      continue
    }
    // Not there when locked; a writer that does not lock the level first may have made it since.
    const [made] = await conn.query<ResultSetHeader>(
      `INSERT INTO lots (product_id, location_id, lot_code, qty) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE qty = qty + VALUES(qty), id = LAST_INSERT_ID(id)`,
      [lot.productId, lot.locationId, lot.code, delta],
    )
    lot.id = made.insertId
  }
  if (plan.length > 0) {
    await conn.query('INSERT INTO lot_movements (event_id, leg, lot_id, qty_delta) VALUES ?', [
      plan.map((p) => [voidEventId, p.leg, p.lot.id, p.qtyDelta]),
    ])
  }
  return legs.map((leg) => ({
    leg: leg.leg,
    shares: plan.filter((p) => p.leg === leg.leg).map((p) => ({ lotId: p.lot.id!, code: p.lot.code, qtyDelta: p.qtyDelta })),
  }))
}
