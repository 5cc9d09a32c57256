import type { ScanEvent } from '@wh/shared'

export type Settled = 'applied' | 'held' | 'rejected'

/**
 * The independent model of what the hub must do with a device's events, written from the rules
 * (docs/architecture.md, How each scan changes stock) and not from the hub's code: receive adds; pick and move need the stock
 * available at the source, else held; count sets the level absolutely; adjust is a signed change
 * held when it would go below zero. No reservations are involved, so available = on hand.
 *
 * Events are applied in each device's order (deviceSeq); devices own disjoint products, so the
 * order across devices does not matter and the model's levels are exact.
 */
export class ReferenceModel {
  /** On hand per `sku@location`. */
  readonly levels = new Map<string, number>()

  private at(sku: string, location: string) {
    return this.levels.get(`${sku}@${location}`) ?? 0
  }

  private set(sku: string, location: string, onHand: number) {
    this.levels.set(`${sku}@${location}`, onHand)
  }

  /** What the hub must answer to this event (its first settlement), and its effect on the levels. */
  apply(event: ScanEvent): Settled {
    const sku = event.barcode
    const qty = event.qty ?? 1
    const here = this.at(sku, event.location)
    switch (event.type) {
      case 'receive':
        this.set(sku, event.location, here + qty)
        return 'applied'
      case 'pick':
        if (qty > here) return 'held'
        this.set(sku, event.location, here - qty)
        return 'applied'
      case 'count':
        this.set(sku, event.location, qty)
        return 'applied'
      case 'adjust':
        if (here + qty < 0) return 'held'
        this.set(sku, event.location, here + qty)
        return 'applied'
      case 'move': {
        if (qty > here) return 'held'
        this.set(sku, event.location, here - qty)
        this.set(sku, event.toLocation!, this.at(sku, event.toLocation!) + qty)
        return 'applied'
      }
    }
  }
}
