import type { Pool, PoolConnection } from 'mysql2/promise'
import { v7 as uuidv7 } from 'uuid'
import type { VoidResult } from '@wh/shared'
import { locations, poLines, products, stockMovements } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { auditStatement } from '../stock/audit-log.ts'
import { insertMovements, writeLevels } from '../stock/ledger-writes.ts'
import { levelKey, type NamedLevel } from '../stock/stock-level.ts'
import { lockLevelsAndLots } from '../stock/stock-locks.ts'
import type { PublishedLevel } from '../stock/stock-publisher.ts'
import { MOVEMENT_COLUMNS, MOVEMENT_JOINS, toMovement, type MovementRow } from './movement-rows.ts'
import { reverseLots, type LegLots } from './void-lots.ts'

/** What a scan wrote; releases move no stock and voids are undone by nothing. */
const VOIDABLE = new Set(['receive', 'pick', 'count', 'adjust', 'move'])
const DUPLICATE_KEY = 1062
/** stock_movements.reason is shorter than a void's reason; the audit row keeps all of it. */
const MOVEMENT_REASON_MAX = 200

export interface Leg {
  id: number
  eventId: string
  leg: number
  type: string
  productId: number
  locationId: number
  sku: string
  location: string
  qtyDelta: number
  orderId: string | null
  poNumber: string | null
  lot: string | null
}

type Target = Row<typeof stockMovements, 'eventId' | 'type' | 'voidsMovementId'>
const LEG_KEYS = ['id', 'eventId', 'leg', 'type', 'productId', 'locationId', 'qtyDelta', 'orderId', 'poNumber', 'lot'] as const
type LegRow = Row<typeof stockMovements, (typeof LEG_KEYS)[number]> & Row<typeof products, 'sku'> & Row<typeof locations, 'code'>

async function readLegs(conn: PoolConnection, movementId: number): Promise<{ target: Target; legs: Leg[] }> {
  const [[target]] = await conn.query<Target[]>(
    `SELECT ${columns(stockMovements, ['eventId', 'type', 'voidsMovementId'])} FROM stock_movements WHERE id = ?`,
    [movementId],
  )
  if (!target) throw new HubError('NOT_FOUND', `no movement ${movementId}`)
  if (target.voidsMovementId !== null || target.type === 'void')
    throw new HubError('MOVEMENT_IS_VOID', `movement ${movementId} voids movement ${target.voidsMovementId}`)
  if (!VOIDABLE.has(target.type)) throw new HubError('MOVEMENT_NOT_VOIDABLE', `movement ${movementId} is a ${target.type}`)
  const [rows] = await conn.query<LegRow[]>(
    `SELECT ${columns(stockMovements, LEG_KEYS, 'm')}, ${columns(products, ['sku'], 'p')}, ${columns(locations, ['code'], 'l')}
       FROM stock_movements m JOIN products p ON p.id = m.product_id JOIN locations l ON l.id = m.location_id
      WHERE m.event_id = ? ORDER BY m.leg`,
    [target.eventId],
  )
  const legs = rows.map((r) => ({
    id: Number(r.id),
    eventId: r.eventId,
    leg: r.leg,
    type: r.type,
    productId: r.productId,
    locationId: r.locationId,
    sku: r.sku,
    location: r.code,
    qtyDelta: r.qtyDelta,
    orderId: r.orderId,
    poNumber: r.poNumber,
    lot: r.lot,
  }))
  return { target, legs }
}

/** Locks the legs' levels, then their lots, in the core's lock order; the levels named from the legs. */
async function lockLegs(conn: PoolConnection, legs: Leg[]) {
  const locked = await lockLevelsAndLots(
    conn,
    legs.map((l) => [l.productId, l.locationId]),
  )
  const named = new Map(legs.map((l) => [levelKey(l.productId, l.locationId), l]))
  const levels = new Map<string, NamedLevel>()
  for (const [key, level] of locked.levels) levels.set(key, { ...level, sku: named.get(key)!.sku, location: named.get(key)!.location })
  return { levels, lots: locked.lots }
}

/** A receipt against a PO counted up its line; its void counts it down (locked after the lots, as receipts lock them). */
async function uncountPoReceipt(conn: PoolConnection, leg: Leg) {
  if (leg.type !== 'receive' || !leg.poNumber) return undefined
  const [[line]] = await conn.query<Row<typeof poLines, 'id' | 'qtyReceived'>[]>(
    `SELECT ${columns(poLines, ['id', 'qtyReceived'], 'l')} FROM purchase_orders p JOIN po_lines l ON l.po_id = p.id
      WHERE p.po_number = ? AND l.product_id = ? ORDER BY p.id, l.id FOR UPDATE`,
    [leg.poNumber, leg.productId],
  )
  if (!line) return undefined
  const received = Math.max(0, line.qtyReceived - leg.qtyDelta)
  await conn.query('UPDATE po_lines SET qty_received = ? WHERE id = ?', [received, line.id])
  return { poNumber: leg.poNumber, lineId: Number(line.id), receivedBefore: line.qtyReceived, receivedAfter: received }
}

/**
 * Voids a movement in one transaction: compensating ledger rows (type `void`, each naming the row
 * it undoes; the unique voids_movement_id is the last wall against a double void), the stock
 * levels, the lots the movement went through, a PO receipt's count, and an audit row. A move is
 * voided whole, whichever leg is named. The original rows stay in the ledger.
 */
export function createMovementVoider(pool: Pool) {
  return async function voidMovement(
    movementId: number,
    reason: string,
    actor: string,
  ): Promise<{ result: VoidResult; changed: PublishedLevel[] }> {
    try {
      return await inTransaction(pool, async (conn) => {
        const { legs } = await readLegs(conn, movementId)
        const { levels, lots: lockedLots } = await lockLegs(conn, legs)

        // Read after the locks: a concurrent void of the same event has committed by now (READ COMMITTED).
        const [voids] = await conn.query<Row<typeof stockMovements, 'id' | 'voidsMovementId'>[]>(
          `SELECT ${columns(stockMovements, ['id', 'voidsMovementId'])} FROM stock_movements WHERE voids_movement_id IN (?)`,
          [legs.map((l) => l.id)],
        )
        if (voids.length > 0)
          throw new HubError('MOVEMENT_ALREADY_VOIDED', `movement ${voids[0]!.voidsMovementId} was voided by movement ${voids[0]!.id}`)

        const before = [...levels.values()].map((l) => ({ ...l }))
        const onHandAfter: number[] = []
        for (const leg of legs) {
          const level = levels.get(levelKey(leg.productId, leg.locationId))!
          level.onHand -= leg.qtyDelta
          level.version += 1
          onHandAfter.push(level.onHand)
        }
        const short = [...levels.values()].filter((l) => l.onHand < l.reserved)
        if (short.length > 0) {
          const details = short.map((l) => {
            const was = before.find((b) => b.productId === l.productId && b.locationId === l.locationId)!
            return { sku: l.sku, location: l.location, onHand: was.onHand, reserved: l.reserved, change: l.onHand - was.onHand }
          })
          throw new HubError(
            'INSUFFICIENT_STOCK',
            'the void would leave a level with less on hand than it has reserved, or below zero',
            details,
          )
        }

        const voidEventId = uuidv7()
        const lots: LegLots[] = await reverseLots(conn, legs, lockedLots, voidEventId)
        const poLine = await uncountPoReceipt(conn, legs[0]!)

        const after = [...levels.values()]
        const snapshot = (ls: NamedLevel[]) =>
          ls.map(({ sku, location, onHand, reserved, version }) => ({ sku, location, onHand, reserved, version }))
        await runStatements(conn, [
          insertMovements(
            legs.map((leg, i) => ({
              eventId: voidEventId,
              leg: leg.leg,
              type: 'void',
              productId: leg.productId,
              locationId: leg.locationId,
              qtyDelta: -leg.qtyDelta,
              onHandAfter: onHandAfter[i]!,
              orderId: leg.orderId,
              poNumber: leg.poNumber,
              lot: leg.lot,
              reason: reason.slice(0, MOVEMENT_REASON_MAX),
              triggeredBy: 'void',
              voidsMovementId: leg.id,
            })),
          ),
          ...writeLevels(after),
          auditStatement([
            {
              entity: 'movement',
              entityId: String(movementId),
              action: 'void',
              actor,
              reason,
              before: {
                movements: legs.map((l) => l.id),
                levels: snapshot(before),
                ...(poLine ? { poLine: { received: poLine.receivedBefore } } : {}),
              },
              after: {
                voidEventId,
                levels: snapshot(after),
                lots: lots.flatMap((l) => l.shares.map((s) => ({ leg: l.leg, lotId: s.lotId, lot: s.code, qtyDelta: s.qtyDelta }))),
                ...(poLine ? { poLine: { poNumber: poLine.poNumber, received: poLine.receivedAfter } } : {}),
              },
            },
          ]),
        ])

        const [written] = await conn.query<MovementRow[]>(
          `SELECT ${MOVEMENT_COLUMNS} FROM stock_movements m ${MOVEMENT_JOINS} WHERE m.event_id = ? ORDER BY m.leg`,
          [voidEventId],
        )
        const changed = snapshot(after)
        const movements = written.map(toMovement)
        return {
          result: {
            sku: legs[0]!.sku,
            site: movements[0]!.site,
            voided: legs.map((l) => l.id),
            movements,
            levels: changed.map(({ location, onHand, reserved, version }) => ({
              location,
              onHand,
              reserved,
              available: onHand - reserved,
              version,
            })),
          },
          // The publisher finds each level's site by its location id.
          changed: after.map(({ sku, location, locationId, onHand, reserved, version }) => ({
            sku,
            location,
            locationId,
            onHand,
            reserved,
            version,
          })),
        }
      })
    } catch (err) {
      // Two voids that slipped past the check (they cannot while both lock the levels, but the
      // unique index is what guarantees it) meet here.
      if ((err as { errno?: number }).errno === DUPLICATE_KEY && /voids_movement_id/.test((err as Error).message))
        throw new HubError('MOVEMENT_ALREADY_VOIDED', `movement ${movementId} was voided meanwhile`)
      throw err
    }
  }
}

export type MovementVoider = ReturnType<typeof createMovementVoider>
