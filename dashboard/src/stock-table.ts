import type { LiveView } from '@wh/shared/live/live-view.ts'
import type { ProductStock } from '@wh/shared/live/live-messages.ts'
import { LocationChips } from './location-chips.ts'

export type StockFilter = 'all' | 'low' | 'out' | 'in'

interface Row {
  tr: HTMLElement
  chips: LocationChips
  cells: Record<'onHand' | 'reserved' | 'available' | 'locations', HTMLElement>
}

const bySku = new Intl.Collator(undefined, { numeric: true })
/** How long a changed row stays highlighted. */
const FLASH_MS = 900

/**
 * The live stock table. Rows are made once per product and kept in SKU order; a delta only marks
 * its product dirty, and dirty rows are redrawn once per animation frame. Each row is its own
 * layout and paint island that the browser skips while off screen (`content-visibility`), and a change
 * is highlighted by switching a class on and off rather than animating every frame, so hundreds of updates a second over a thousand products cost a few
 * cell writes per frame, never a whole-table layout or repaint.
 */
export class StockTable {
  private readonly rows = new Map<string, Row>()
  private order: string[] = []
  private readonly dirty = new Set<string>()
  /** Rows the browser renders now (the rest it skips, see `content-visibility`): only these flash. */
  private readonly rendered = new Set<string>()
  /** Highlighted rows and when; a highlight is switched on and off, not animated frame by frame. */
  private readonly lit = new Map<string, number>()
  private frame = 0
  private query = ''
  private filter: StockFilter = 'all'

  constructor(
    private readonly body: HTMLElement,
    private readonly shown: HTMLElement,
    private readonly view: LiveView,
  ) {
    setInterval(() => this.dim(), FLASH_MS / 3)
  }

  /** After a snapshot: every product of the catalog and the cache, rebuilt once. */
  reset() {
    this.rows.clear()
    this.dirty.clear()
    this.rendered.clear()
    this.lit.clear()
    this.order = [...new Set([...this.view.info.keys(), ...this.view.stock.keys()])].sort(bySku.compare)
    const fragment = document.createDocumentFragment()
    for (const sku of this.order) fragment.append(this.makeRow(sku).tr)
    this.body.replaceChildren(fragment)
    for (const sku of this.order) this.draw(sku, false)
    this.count()
  }

  changed(skus: string[]) {
    for (const sku of skus) this.dirty.add(sku)
    this.frame ||= requestAnimationFrame(() => this.flush())
  }

  search(query: string) {
    this.query = query.trim().toLowerCase()
    this.refilter()
  }

  show(filter: StockFilter) {
    this.filter = filter
    this.refilter()
  }

  private flush() {
    this.frame = 0
    for (const sku of this.dirty) {
      if (!this.rows.has(sku)) this.insert(sku)
      this.draw(sku, true)
    }
    this.dirty.clear()
    this.count()
  }

  private makeRow(sku: string): Row {
    const tr = document.createElement('div')
    tr.className = 'row'
    tr.role = 'row'
    tr.dataset.sku = sku
    tr.addEventListener('contentvisibilityautostatechange', (e) => {
      if ((e as ContentVisibilityAutoStateChangeEvent).skipped) this.rendered.delete(sku)
      else this.rendered.add(sku)
    })
    const cell = (text: string, col: string, className?: string) => {
      const td = document.createElement('span')
      td.role = 'cell'
      td.textContent = text
      td.dataset.col = col
      if (className) td.className = className
      tr.append(td)
      return td
    }
    cell(sku, 'sku', 'sku')
    cell(this.view.info.get(sku)?.name ?? '', 'name')
    const cells = {
      onHand: cell('', 'onHand', 'num'),
      reserved: cell('', 'reserved', 'num'),
      available: cell('', 'available', 'num'),
      locations: cell('', 'locations'),
    }
    const row: Row = { tr, chips: new LocationChips(cells.locations), cells }
    this.rows.set(sku, row)
    return row
  }

  private insert(sku: string) {
    let lo = 0
    let hi = this.order.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (bySku.compare(this.order[mid]!, sku) < 0) lo = mid + 1
      else hi = mid
    }
    const next = this.order[lo]
    this.order.splice(lo, 0, sku)
    this.body.insertBefore(this.makeRow(sku).tr, next ? this.rows.get(next)!.tr : null)
  }

  private stockOf(sku: string): ProductStock {
    return this.view.stock.get(sku) ?? { site: this.view.site, sku, onHand: 0, reserved: 0, available: 0, locations: {} }
  }

  private draw(sku: string, flash: boolean) {
    const row = this.rows.get(sku)!
    const stock = this.stockOf(sku)
    setText(row.cells.onHand, stock.onHand)
    setText(row.cells.reserved, stock.reserved)
    setText(row.cells.available, stock.available)
    row.chips.show(stock)
    row.tr.classList.toggle('out', stock.available <= 0)
    row.tr.classList.toggle('low', stock.available > 0 && this.view.isLow(sku))
    row.tr.hidden = !this.matches(sku, stock)
    if (flash && this.rendered.has(sku)) {
      row.tr.classList.add('changed')
      this.lit.set(sku, performance.now())
    }
  }

  private dim() {
    const before = performance.now() - FLASH_MS
    for (const [sku, at] of this.lit) {
      if (at > before) continue
      this.rows.get(sku)?.tr.classList.remove('changed')
      this.lit.delete(sku)
    }
  }

  private matches(sku: string, stock: ProductStock) {
    if (this.query && !sku.toLowerCase().includes(this.query) && !(this.view.info.get(sku)?.name ?? '').toLowerCase().includes(this.query))
      return false
    if (this.filter === 'low') return this.view.isLow(sku)
    if (this.filter === 'out') return stock.available <= 0
    if (this.filter === 'in') return stock.available > 0
    return true
  }

  private refilter() {
    for (const [sku, row] of this.rows) row.tr.hidden = !this.matches(sku, this.stockOf(sku))
    this.count()
  }

  private count() {
    let visible = 0
    for (const row of this.rows.values()) if (!row.tr.hidden) visible++
    this.shown.textContent = `${visible} of ${this.rows.size}`
  }
}

/** Writes a number only when it changed: an unchanged write still costs the browser a style pass. */
function setText(cell: HTMLElement, value: number) {
  const text = String(value)
  if (cell.textContent !== text) cell.textContent = text
}
