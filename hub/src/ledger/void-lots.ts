import type { PoolConnection } from 'mysql2/promise'
import { lotMovements } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { identifyNewLots, writeLots, type LotLedgerRow } from '../stock/ledger-writes.ts'
import { UNNAMED_LOT, type LotState } from '../stock/lot-plan.ts'
import type { Leg } from './movement-void.ts'

export interface LegLots {
  leg: number
  shares: { lotId: number; code: string; qtyDelta: number }[]
}

/**
 * Gives back, lot by lot, what a movement's legs did to the lots (its lot_movements rows), and
 * records that under the void's event id. A lot it went through that is gone, or holds less than
 * the void takes back, refuses the void (409 LOT_SHORT). A leg with no lot rows went wholly
 * through the unnamed lot (the apply path writes no row for that common case), so it is reversed
 * through the unnamed lot, under the same rule. `locked` are the legs' lots, locked after their
 * levels.
 */
export async function reverseLots(
  conn: PoolConnection,
  legs: Leg[],
  locked: Map<string, LotState[]>,
  voidEventId: string,
): Promise<LegLots[]> {
  const [recorded] = await conn.query<Row<typeof lotMovements, 'leg' | 'lotId' | 'qtyDelta'>[]>(
    `SELECT ${columns(lotMovements, ['leg', 'lotId', 'qtyDelta'])} FROM lot_movements WHERE event_id = ? ORDER BY leg, id`,
    [legs[0]!.eventId],
  )
  const lots = [...locked.values()].flat()
  const ledger: LotLedgerRow[] = []
  const short: object[] = []

  const unnamedAt = (leg: Leg) => {
    let lot = lots.find((l) => l.productId === leg.productId && l.locationId === leg.locationId && l.code === UNNAMED_LOT)
    if (!lot) {
      lot = { productId: leg.productId, locationId: leg.locationId, code: UNNAMED_LOT, expiry: null, qty: 0, poNumber: null }
      lots.push(lot)
    }
    return lot
  }
  for (const leg of legs) {
    const recordedShares = recorded
      .filter((r) => r.leg === leg.leg)
      .map((r) => ({ lot: lots.find((l) => l.id === Number(r.lotId)), lotId: r.lotId, qtyDelta: r.qtyDelta }))
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
      ledger.push({ eventId: voidEventId, leg: leg.leg, lot, qtyDelta: change })
    }
  }
  if (short.length > 0) throw new HubError('LOT_SHORT', 'a lot the movement went through holds less than the void takes back', short)

  const changed = [...new Set(ledger.map((m) => m.lot))]
  await runStatements(conn, writeLots(changed, ledger))
  await identifyNewLots(conn, changed)
  return legs.map((leg) => ({
    leg: leg.leg,
    shares: ledger.filter((m) => m.leg === leg.leg).map((m) => ({ lotId: m.lot.id!, code: m.lot.code, qtyDelta: m.qtyDelta })),
  }))
}
