import { ReasonCodes, type Ack, type ReasonCode } from '@wh/shared'
import type { QueuedEvent } from '../partition/queued-event.ts'
import { levelKey, type StockLevel } from '../stock/stock-level.ts'
import type { LotLedgerRow } from '../stock/ledger-writes.ts'
import { UNNAMED_LOT, addToLot, singleLot, takeFromLots, type LotShare, type LotState } from '../stock/lot-plan.ts'
import { receiveOnPo, type PoLineState, type PurchaseOrderState } from './po-receipt.ts'
import { QTY_COLUMN_MAX, pastColumnRange } from './column-range.ts'

export interface MovementRow {
  eventId: string
  leg: 0 | 1
  productId: number
  locationId: number
  qtyDelta: number
  onHandAfter: number
  /** The one lot the leg touched, else null (its lot shares say how it split). */
  lot: string | null
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
  /** Orders whose every active reservation this batch's picks took to nothing (now picked). */
  pickedOrders: string[]
  /** Levels after the batch, for every (product, location) the batch changed. */
  changed: StockLevel[]
  lotMovements: LotLedgerRow[]
  /** Lots after the batch, for every lot the batch changed or created. */
  changedLots: LotState[]
  /** PO lines after the batch, for every line a receipt counted against. */
  changedPoLines: PoLineState[]
}

export interface SettledEvent {
  hash: string
  status: 'applied' | 'held' | 'rejected'
}

/** What the repository read and locked for a batch; the plan changes it in place. */
export interface BatchState {
  levels: Map<string, StockLevel>
  settled: Map<string, SettledEvent>
  /** Active reservations of the orders the batch's picks name. */
  reservations?: Map<string, HeldReservation>
  /** Every lot of every level the batch touches, by level key. */
  lots?: Map<string, LotState[]>
  /** The purchase orders the batch's receipts name, by number. */
  purchaseOrders?: Map<string, PurchaseOrderState>
}

export const reservationKey = (orderId: string, productId: number, locationId: number) => `${orderId}:${productId}:${locationId}`

const available = (l: StockLevel) => l.onHand - l.reserved

/**
 * Decides, in inbox order, what each event of a batch does to the locked stock levels, lots and PO
 * lines. Pure: the repository reads and locks the state, and writes what this returns. The events
 * in `aside` (eventId to why) are held as APPLY_FAILED, unplanned: the database refused them
 * (set-aside.ts).
 */
export function planBatch(items: QueuedEvent[], state: BatchState, aside: ReadonlyMap<string, string> = new Map()): BatchPlan {
  const { levels, settled, reservations = new Map(), lots = new Map(), purchaseOrders = new Map() } = state
  const plan: BatchPlan = {
    outcomes: [],
    movements: [],
    held: [],
    consumed: [],
    pickedOrders: [],
    changed: [],
    lotMovements: [],
    changedLots: [],
    changedPoLines: [],
  }
  const changed = new Set<StockLevel>()
  const changedLots = new Set<LotState>()
  const changedLines = new Set<PoLineState>()
  const seen = new Map<string, { hash: string; status?: SettledEvent['status'] }>(settled)

  const level = (productId: number, locationId: number): StockLevel => {
    const key = levelKey(productId, locationId)
    let l = levels.get(key)
    if (!l) levels.set(key, (l = { productId, locationId, onHand: 0, reserved: 0, version: 0 }))
    return l
  }
  const lotsAt = (l: StockLevel): LotState[] => {
    const key = levelKey(l.productId, l.locationId)
    let list = lots.get(key)
    if (!list) lots.set(key, (list = []))
    return list
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
      ...(item.clockSkewed ? { warning: 'SCANNED_AT_SKEWED' as const } : {}),
      ...extra,
    }
    plan.outcomes.push({ item, ack, settledEarlier })
  }
  const move = (item: QueuedEvent, leg: 0 | 1, l: StockLevel, delta: number, shares: LotShare[]) => {
    l.onHand += delta
    l.version += 1
    changed.add(l)
    const eventId = item.event.eventId
    plan.movements.push({
      eventId,
      leg,
      productId: l.productId,
      locationId: l.locationId,
      qtyDelta: delta,
      onHandAfter: l.onHand,
      lot: singleLot(shares),
      item,
    })
    for (const share of shares) {
      changedLots.add(share.lot)
      plan.lotMovements.push({ eventId, leg, ...share })
    }
  }
  /** Stock coming in: into the scan's lot (or the unnamed one), dated by the scan when new. */
  const intoLots = (item: QueuedEvent, l: StockLevel, qty: number, poNumber: string | null = null) => [
    addToLot(lotsAt(l), l, qty, item.lot ?? UNNAMED_LOT, { expiry: item.expiry ?? null, poNumber }),
  ]
  const hold = (item: QueuedEvent, code: ReasonCode, detail: string) => {
    seen.get(item.event.eventId)!.status = 'held'
    const reason = `${ReasonCodes[code]}: ${detail}`
    plan.held.push({ item, code, reason })
    answer(item, 'held', { code, message: reason })
  }
  /** Stock going out of a level: from the scan's lot, else FEFO; null (and held) when that lot is short. */
  const outOfLots = (item: QueuedEvent, l: StockLevel, qty: number): LotShare[] | null => {
    const shares = takeFromLots(lotsAt(l), qty, item.lot)
    if (!shares) hold(item, 'LOT_SHORT', `lot ${item.lot} holds less than ${qty}`)
    return shares
  }
  /** True, and the event held, when `qty` more at this level would pass what its columns record. */
  const overflows = (item: QueuedEvent, l: StockLevel, qty: number, location: string): boolean => {
    const total = pastColumnRange(l.onHand, lotsAt(l), qty)
    if (total === undefined) return false
    hold(item, 'QTY_OUT_OF_RANGE', `${location} would hold ${total}, above ${QTY_COLUMN_MAX}`)
    return true
  }
  /** A signed change at the event's level, through its lots; false when it was held instead. */
  const change = (item: QueuedEvent, l: StockLevel, delta: number): boolean => {
    if (delta > 0 && overflows(item, l, delta, item.locationCode)) return false
    const shares = delta > 0 ? intoLots(item, l, delta) : delta < 0 ? outOfLots(item, l, -delta) : []
    if (!shares) return false
    move(item, 0, l, delta, shares)
    return true
  }

  for (const item of items) {
    const { event } = item
    const earlier = seen.get(event.eventId)
    if (earlier !== undefined) {
      if (earlier.hash !== item.hash) answer(item, 'rejected', { code: 'CONFLICT', message: ReasonCodes.CONFLICT })
      else answer(item, 'duplicate', settledAs(earlier.status), settled.get(event.eventId)?.status)
      continue
    }
    const first = { hash: item.hash } as { hash: string; status?: SettledEvent['status'] }
    seen.set(event.eventId, first)
    const failure = aside.get(event.eventId)
    if (failure !== undefined) {
      hold(item, 'APPLY_FAILED', failure)
      continue
    }
    const at = level(item.productId, item.locationId)
    switch (event.type) {
      case 'receive': {
        if (overflows(item, at, item.qty, item.locationCode)) continue
        let poNumber: string | null = null
        if (item.poNumber !== undefined) {
          const line = receiveOnPo(purchaseOrders.get(item.poNumber), item)
          if (!('id' in line)) {
            hold(item, line.code, line.detail)
            continue
          }
          changedLines.add(line)
          poNumber = item.poNumber
        }
        move(item, 0, at, item.qty, intoLots(item, at, item.qty, poNumber))
        break
      }
      case 'pick': {
        // A pick for an order takes its reserved stock first; only the rest needs to be available.
        const reservation = event.orderId ? reservations.get(reservationKey(event.orderId, item.productId, item.locationId)) : undefined
        const fromReservation = Math.min(item.qty, reservation?.qty ?? 0)
        if (item.qty - fromReservation > available(at)) {
          const forOrder = event.orderId ? `, reserved for order ${event.orderId} ${fromReservation}` : ''
          hold(item, 'INSUFFICIENT_STOCK', `pick ${item.qty}${forOrder}, available ${available(at)}`)
          continue
        }
        const shares = outOfLots(item, at, item.qty)
        if (!shares) continue
        if (reservation && fromReservation > 0) {
          reservation.qty -= fromReservation
          at.reserved -= fromReservation
          plan.consumed.push({ reservationId: reservation.id, qty: fromReservation })
        }
        move(item, 0, at, -item.qty, shares)
        break
      }
      case 'count':
        // A count is absolute: the movement is the variance. Counting below what is reserved needs an admin.
        if (item.qty < at.reserved) {
          hold(item, 'INSUFFICIENT_STOCK', `counted ${item.qty}, reserved ${at.reserved}`)
          continue
        }
        if (!change(item, at, item.qty - at.onHand)) continue
        break
      case 'adjust':
        if (at.onHand + item.qty < at.reserved) {
          hold(item, 'INSUFFICIENT_STOCK', `adjust ${item.qty}, on hand ${at.onHand}, reserved ${at.reserved}`)
          continue
        }
        if (!change(item, at, item.qty)) continue
        break
      case 'move': {
        if (item.qty > available(at)) {
          hold(item, 'INSUFFICIENT_STOCK', `move ${item.qty}, available ${available(at)}`)
          continue
        }
        const to = level(item.productId, item.toLocationId!)
        if (overflows(item, to, item.qty, item.toLocationCode!)) continue
        const out = outOfLots(item, at, item.qty)
        if (!out) continue
        // The stock keeps its lots, expiry and PO at the target.
        const into = out.map(({ lot, qtyDelta }) => addToLot(lotsAt(to), to, -qtyDelta, lot.code, lot))
        move(item, 0, at, -item.qty, out)
        move(item, 1, to, item.qty, into)
        break
      }
    }
    first.status = 'applied'
    answer(item, 'applied')
  }
  plan.pickedOrders = pickedOrders(reservations, plan.consumed)
  plan.changed = [...changed]
  plan.changedLots = [...changedLots]
  plan.changedPoLines = [...changedLines]
  return plan
}

/** The orders a consumption named whose reservations (all of them are in the map) hold nothing now. */
function pickedOrders(reservations: ReadonlyMap<string, HeldReservation>, consumed: BatchPlan['consumed']): string[] {
  if (consumed.length === 0) return []
  const taken = new Set(consumed.map((c) => c.reservationId))
  const touched = new Set<string>()
  const holding = new Set<string>()
  for (const [key, r] of reservations) {
    const orderId = key.slice(0, key.indexOf(':'))
    if (taken.has(r.id)) touched.add(orderId)
    if (r.qty > 0) holding.add(orderId)
  }
  return [...touched].filter((id) => !holding.has(id)).sort()
}

/** What a duplicate says of its first settlement, for a device that missed that ack. */
const settledAs = (status: SettledEvent['status'] | undefined): Partial<Ack> => (status ? { settledAs: status } : {})
