import { ReasonCodes, type Ack, type ReasonCode } from '@wh/shared'
import type { QueuedEvent } from '../partitions/queued-event.ts'

export interface Level {
  productId: number
  locationId: number
  onHand: number
  reserved: number
  version: number
}

export interface MovementRow {
  eventId: string
  leg: 0 | 1
  productId: number
  locationId: number
  qtyDelta: number
  onHandAfter: number
  item: QueuedEvent
}

export interface HeldRow {
  item: QueuedEvent
  code: ReasonCode
  reason: string
}

export interface EventOutcome {
  item: QueuedEvent
  ack: Ack
  /**
   * How the database had already settled this event, when it had (a replay after a crash, or a
   * late resend); its after-commit effects are then done again.
   */
  settledEarlier?: SettledEvent['status']
}

/** An order's stock still reserved at one location, as locked by the batch. */
export interface HeldReservation {
  id: number
  qty: number
}

export interface BatchPlan {
  outcomes: EventOutcome[]
  movements: MovementRow[]
  held: HeldRow[]
  /** Reservations picks with their order id took stock from. */
  consumed: { reservationId: number; qty: number }[]
  /** Levels after the batch, for every (product, location) the batch changed. */
  changed: Level[]
}

export interface SettledEvent {
  hash: string
  status: 'applied' | 'held'
}

export const levelKey = (productId: number, locationId: number) => `${productId}:${locationId}`
export const reservationKey = (orderId: string, productId: number, locationId: number) => `${orderId}:${productId}:${locationId}`

const available = (l: Level) => l.onHand - l.reserved

/**
 * Decides, in inbox order, what each event of a batch does to the locked stock levels. Pure: the
 * repository reads the levels and the already-settled ids, and writes what this returns.
 */
export function planBatch(
  items: QueuedEvent[],
  levels: Map<string, Level>,
  settled: Map<string, SettledEvent>,
  reservations = new Map<string, HeldReservation>(),
): BatchPlan {
  const plan: BatchPlan = { outcomes: [], movements: [], held: [], consumed: [], changed: [] }
  const changed = new Set<Level>()
  const seen = new Map<string, { hash: string; status?: SettledEvent['status'] }>(settled)

  const level = (productId: number, locationId: number): Level => {
    const key = levelKey(productId, locationId)
    let l = levels.get(key)
    if (!l) levels.set(key, (l = { productId, locationId, onHand: 0, reserved: 0, version: 0 }))
    return l
  }
  const answer = (item: QueuedEvent, status: Ack['status'], extra: Partial<Ack> = {}, settledEarlier?: SettledEvent['status']) => {
    const at = level(item.productId, item.locationId)
    const ack: Ack = {
      eventId: item.event.eventId,
      deviceSeq: item.event.deviceSeq,
      status,
      sku: item.sku,
      location: item.locationCode,
      onHand: at.onHand,
      available: available(at),
      ...extra,
    }
    plan.outcomes.push({ item, ack, settledEarlier })
  }
  const move = (item: QueuedEvent, leg: 0 | 1, l: Level, delta: number) => {
    l.onHand += delta
    l.version += 1
    changed.add(l)
    plan.movements.push({
      eventId: item.event.eventId,
      leg,
      productId: l.productId,
      locationId: l.locationId,
      qtyDelta: delta,
      onHandAfter: l.onHand,
      item,
    })
  }
  const hold = (item: QueuedEvent, code: ReasonCode, detail: string) => {
    seen.get(item.event.eventId)!.status = 'held'
    const reason = `${ReasonCodes[code]}: ${detail}`
    plan.held.push({ item, code, reason })
    answer(item, 'held', { code, message: reason })
  }

  for (const item of items) {
    const { event } = item
    const earlier = seen.get(event.eventId)
    if (earlier !== undefined) {
      if (earlier.hash !== item.hash) answer(item, 'rejected', { code: 'CONFLICT', message: ReasonCodes.CONFLICT })
      else answer(item, 'duplicate', earlier.status ? { settledAs: earlier.status } : {}, settled.get(event.eventId)?.status)
      continue
    }
    const first = { hash: item.hash } as { hash: string; status?: SettledEvent['status'] }
    seen.set(event.eventId, first)
    const at = level(item.productId, item.locationId)
    switch (event.type) {
      case 'receive':
        move(item, 0, at, item.qty)
        break
      case 'pick': {
        // A pick for an order takes its reserved stock first; only the rest needs to be available.
        const reservation = event.orderId ? reservations.get(reservationKey(event.orderId, item.productId, item.locationId)) : undefined
        const fromReservation = Math.min(item.qty, reservation?.qty ?? 0)
        if (item.qty - fromReservation > available(at)) {
          const forOrder = event.orderId ? `, reserved for order ${event.orderId} ${fromReservation}` : ''
          hold(item, 'INSUFFICIENT_STOCK', `pick ${item.qty}${forOrder}, available ${available(at)}`)
          continue
        }
        if (reservation && fromReservation > 0) {
          reservation.qty -= fromReservation
          at.reserved -= fromReservation
          plan.consumed.push({ reservationId: reservation.id, qty: fromReservation })
        }
        move(item, 0, at, -item.qty)
        break
      }
      case 'count':
        // A count is absolute: the movement is the variance. Counting below what is reserved needs an admin.
        if (item.qty < at.reserved) {
          hold(item, 'INSUFFICIENT_STOCK', `counted ${item.qty}, reserved ${at.reserved}`)
          continue
        }
        move(item, 0, at, item.qty - at.onHand)
        break
      case 'adjust':
        if (at.onHand + item.qty < at.reserved) {
          hold(item, 'INSUFFICIENT_STOCK', `adjust ${item.qty}, on hand ${at.onHand}, reserved ${at.reserved}`)
          continue
        }
        move(item, 0, at, item.qty)
        break
      case 'move': {
        if (item.qty > available(at)) {
          hold(item, 'INSUFFICIENT_STOCK', `move ${item.qty}, available ${available(at)}`)
          continue
        }
        move(item, 0, at, -item.qty)
        move(item, 1, level(item.productId, item.toLocationId!), item.qty)
        break
      }
    }
    first.status = 'applied'
    answer(item, 'applied')
  }
  plan.changed = [...changed]
  return plan
}
