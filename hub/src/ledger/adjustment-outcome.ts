import type { Pool } from 'mysql2/promise'
import type { Adjustment } from '@wh/shared'
import { heldEvents, stockMovements } from '../db/schema/index.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { MOVEMENT_COLUMNS, MOVEMENT_JOINS, toMovement, type MovementRow } from './movement-rows.ts'

/** What the stock core made of an event so far, and the hash of the event it settled under that id. */
export type Settled = Pick<Adjustment, 'status' | 'movement' | 'held'> & { hash: string | null }

type HeldRow = Row<typeof heldEvents, 'id' | 'payloadHash' | 'status' | 'reasonCode' | 'reason'>

/**
 * Reads an event's outcome from what the partitions wrote in the transaction that settled it: its
 * movement (applied, also after an approval), else its held event (pending or rejected), else
 * nothing yet (pending). Two lookups by unique index.
 */
export async function settledAs(pool: Pool, eventId: string): Promise<Settled> {
  const [[moved], [[held]]] = await Promise.all([
    pool.query<(MovementRow & Row<typeof stockMovements, 'payloadHash'>)[]>(
      `SELECT ${MOVEMENT_COLUMNS}, m.payload_hash AS payloadHash FROM stock_movements m ${MOVEMENT_JOINS}
        WHERE m.event_id = ? AND m.leg = 0`,
      [eventId],
    ),
    pool.query<HeldRow[]>(
      `SELECT ${columns(heldEvents, ['id', 'payloadHash', 'status', 'reasonCode', 'reason'])} FROM held_events WHERE event_id = ?`,
      [eventId],
    ),
  ])
  const heldInfo = held ? { id: Number(held.id), reasonCode: held.reasonCode, reason: held.reason } : null
  const [movement] = moved
  if (movement) return { status: 'applied', movement: toMovement(movement), held: heldInfo, hash: movement.payloadHash }
  if (held) return { status: held.status === 'rejected' ? 'rejected' : 'held', movement: null, held: heldInfo, hash: held.payloadHash }
  return { status: 'pending', movement: null, held: null, hash: null }
}
