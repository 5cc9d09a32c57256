import type { ProductStock } from '@wh/shared/live/live-messages.ts'

interface Chip {
  qty: HTMLElement
  onHand: number
}

/**
 * A product's stock per location as chips in location order. Updated in place: a changed
 * quantity rewrites one text node; the chips are rebuilt only when locations come or go.
 */
export class LocationChips {
  private readonly chips = new Map<string, Chip>()

  constructor(private readonly cell: HTMLElement) {}

  show(stock: ProductStock) {
    const held = Object.entries(stock.locations).filter(([, l]) => l.onHand !== 0 || l.reserved !== 0)
    if (held.length !== this.chips.size || held.some(([code]) => !this.chips.has(code))) return this.rebuild(held)
    for (const [code, l] of held) {
      const chip = this.chips.get(code)!
      if (chip.onHand === l.onHand) continue
      chip.onHand = l.onHand
      chip.qty.textContent = String(l.onHand)
      chip.qty.parentElement!.dataset.onHand = String(l.onHand)
    }
  }

  private rebuild(held: [string, { onHand: number; reserved: number; available: number }][]) {
    this.chips.clear()
    const elements = held
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, l]) => {
        const chip = document.createElement('span')
        chip.className = 'loc'
        chip.dataset.location = code
        chip.dataset.onHand = String(l.onHand)
        // Stock orders may not reserve (a shipping lane): on hand, counted in no available figure.
        if (l.available === 0 && l.onHand > l.reserved) {
          chip.classList.add('unavailable')
          chip.title = 'not available to orders here'
        }
        const qty = document.createElement('b')
        qty.textContent = String(l.onHand)
        chip.append(`${code} `, qty)
        this.chips.set(code, { qty, onHand: l.onHand })
        return chip
      })
    this.cell.replaceChildren(...elements)
  }
}
