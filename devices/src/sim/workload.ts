import { gs1CheckDigit } from '@wh/shared'
import type { ScanInput } from '../scanner-client.ts'
import type { seededRandom } from './seeded-random.ts'

export interface Catalog {
  site: string
  /** `gtins`, when given, lists every pack's barcode with the units it holds (1 a unit, 12 a case). */
  products: { sku: string; gtin: string | null; gtins?: { gtin: string; qty: number }[] }[]
  locations: { code: string; zone: string }[]
  /** Lines of the site's open purchase orders still to receive; receipts go against them. */
  openPoLines?: { poNumber: string; sku: string }[]
}

type Random = ReturnType<typeof seededRandom>
type Product = Catalog['products'][number]

/** The share of each kind of scan on a typical floor shift; the rest are bad scans. */
const MIX = [
  ['receive', 0.28],
  ['pick', 0.36],
  ['move', 0.12],
  ['count', 0.1],
  ['adjust', 0.06],
] as const

const yymmdd = (d: Date) => d.toISOString().slice(2, 10).replaceAll('-', '')

/** Share of picks made without looking: a short pick the hub holds for an admin, as on a real floor. */
const BLIND_PICK_SHARE = 0.05

/**
 * What the fleet has put on the shelves, by its own scans: picks, moves, counts and adjustments go
 * where stock is believed to be, as people on a floor do. The hub's answers are not fed back, so
 * the belief drifts a little (holds, rejections), as a floor's does.
 */
function createShelves(rnd: Random) {
  const places = new Map<string, { sku: string; location: string; qty: number }>()
  const key = (sku: string, location: string) => `${sku}\u0000${location}`
  return {
    add(sku: string, location: string, n: number) {
      const place = places.get(key(sku, location))
      const left = (place?.qty ?? 0) + n
      if (left <= 0) places.delete(key(sku, location))
      else if (place) place.qty = left
      else places.set(key(sku, location), { sku, location, qty: left })
    },
    set(sku: string, location: string, n: number) {
      this.add(sku, location, n - (places.get(key(sku, location))?.qty ?? 0))
    },
    /** A random stocked place among `locations`, with what is believed to be there. */
    somewhere(locations: ReadonlySet<string>) {
      const stocked = [...places.values()].filter((p) => locations.has(p.location))
      return stocked.length === 0 ? undefined : { ...rnd.pick(stocked) }
    },
  }
}

/**
 * A realistic, seeded stream of scans: receipts against purchase orders with GS1-128 labels at the
 * docks, putaway moves from the docks to the racks and replenishment to the pick faces, picks
 * against orders at the pick faces, cycle counts and adjustments where stock is, a few short
 * picks, and a small share of bad scans (unknown items, damaged labels, unknown locations) that
 * the hub must reject.
 */
export function createWorkload(catalog: Catalog, rnd: Random, badShare = 0.08) {
  const zone = (name: string) => catalog.locations.filter((l) => l.zone === name).map((l) => l.code)
  const all = catalog.locations.map((l) => l.code)
  const docks = zone('receiving').length ? zone('receiving') : all
  const racks = all.filter((c) => !docks.includes(c))
  const pickFaces = zone('pick-face').length ? zone('pick-face') : racks.length ? racks : all
  const shipping = zone('shipping')
  const storage = racks.filter((c) => !pickFaces.includes(c) && !shipping.includes(c))
  const putaway = [...storage, ...pickFaces].filter((c) => !docks.includes(c))
  if (catalog.products.length === 0 || all.length === 0) throw new Error(`site ${catalog.site} has no products or no locations to scan`)
  const shelves = createShelves(rnd)
  const where = {
    // Stock moves on from the docks and from reserve storage; it is picked at the pick faces.
    moveFrom: new Set([...docks, ...storage]),
    pickAt: new Set(pickFaces),
    anywhere: new Set(all),
  }
  const bySku = new Map(catalog.products.map((p) => [p.sku, p]))

  const product = () => rnd.pick(catalog.products)
  // Single units are scanned by their unit GTIN (pack of 1) or SKU; cases come in on pallets.
  const unitGtin = (p: Product) => (p.gtins ? (p.gtins.find((g) => g.qty === 1)?.gtin ?? null) : p.gtin)
  const productBarcode = (p: Product) => {
    const gtin = unitGtin(p)
    return gtin && rnd.next() < 0.5 ? gtin.replace(/^0/, '') : p.sku
  }
  const barcodeOf = (sku: string) => productBarcode(bySku.get(sku)!)

  /** A pallet of cases at a dock: an SSCC label with the case GTIN (02) and the number of cases (37). */
  function palletReceipt(p: Product, pack: { gtin: string; qty: number }): ScanInput {
    const cases = rnd.int(1, 8)
    const body = `0${pack.gtin.slice(1, 8)}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}`
    const location = rnd.pick(docks)
    shelves.add(p.sku, location, cases * pack.qty)
    return { type: 'receive', barcode: `(00)${body}${gs1CheckDigit(body)}(02)${pack.gtin}(37)${cases}`, location, qty: cases }
  }

  /** Putaway from a dock to any rack, or (`replenish`) from reserve or the dock to a pick face. */
  function moveStock(replenish: boolean): ScanInput {
    const from = shelves.somewhere(where.moveFrom)
    if (!from) return scans.receive()
    const toRacks = !replenish && docks.includes(from.location) && putaway.length > 0
    const to = rnd.pick(toRacks ? putaway : pickFaces.filter((c) => c !== from.location))
    if (to === undefined) return scans.receive()
    const qty = rnd.int(1, Math.min(10, from.qty))
    shelves.add(from.sku, from.location, -qty)
    shelves.add(from.sku, to, qty)
    return { type: 'move', barcode: barcodeOf(from.sku), location: from.location, toLocation: to, qty }
  }

  const scans: Record<(typeof MIX)[number][0], () => ScanInput> = {
    receive() {
      // Against an open PO line when the site has one, else a delivery without a PO.
      const line = catalog.openPoLines?.length ? rnd.pick(catalog.openPoLines) : undefined
      const p = line ? (bySku.get(line.sku) ?? product()) : product()
      // A delivery without a PO may be a pallet of cases (kept off POs, which order units).
      const pack = line ? undefined : p.gtins?.find((g) => g.qty > 1)
      if (pack && rnd.next() < 0.25) return palletReceipt(p, pack)
      const qty = rnd.int(1, 24)
      const expiry = yymmdd(new Date(Date.UTC(2027, rnd.int(0, 11), rnd.int(1, 28))))
      const po = line ? `(400)${line.poNumber}` : ''
      const gtin = unitGtin(p)
      const barcode = gtin ? `(01)${gtin}(10)L${rnd.int(100, 999)}(17)${expiry}(37)${qty}${po}` : p.sku
      const location = rnd.pick(docks)
      shelves.add(p.sku, location, qty)
      return { type: 'receive', barcode, location, qty, ...(line ? { poNumber: line.poNumber } : {}) }
    },
    pick() {
      const orderId = `ORD-${rnd.int(1, 5000)}`
      if (rnd.next() < BLIND_PICK_SHARE)
        return { type: 'pick', barcode: productBarcode(product()), location: rnd.pick(pickFaces), qty: rnd.int(1, 3), orderId }
      const at = shelves.somewhere(where.pickAt)
      // An empty pick face is replenished first.
      if (!at) return moveStock(true)
      const qty = rnd.int(1, Math.min(3, at.qty))
      shelves.add(at.sku, at.location, -qty)
      return { type: 'pick', barcode: barcodeOf(at.sku), location: at.location, qty, orderId }
    },
    move: () => moveStock(false),
    count() {
      // A cycle count finds about what should be there.
      const at = shelves.somewhere(where.anywhere)
      if (!at) return scans.receive()
      const qty = Math.max(0, at.qty + rnd.int(-2, 2))
      shelves.set(at.sku, at.location, qty)
      return { type: 'count', barcode: barcodeOf(at.sku), location: at.location, qty }
    },
    adjust() {
      const at = shelves.somewhere(where.anywhere)
      if (!at) return scans.receive()
      const qty = rnd.pick(at.qty > 2 ? [-2, -1, 1, 2] : [1, 2])
      shelves.add(at.sku, at.location, qty)
      return {
        type: 'adjust',
        barcode: barcodeOf(at.sku),
        location: at.location,
        qty,
        reason: rnd.pick(['damaged', 'found during count', 'expired']),
      }
    },
  }

  const badScans: (() => ScanInput)[] = [
    () => ({ type: 'pick', barcode: `SKU-UNKNOWN-${rnd.int(1, 99)}`, location: rnd.pick(pickFaces), qty: 1 }),
    () => {
      // A damaged label: the right digits but for the last one.
      const body = `0950699${String(rnd.int(0, 99999)).padStart(5, '0')}`
      return { type: 'receive', barcode: `${body}${(gs1CheckDigit(body) + 1) % 10}`, location: rnd.pick(docks), qty: 1 }
    },
    () => ({ type: 'count', barcode: product().sku, location: `NOWHERE-${rnd.int(1, 9)}`, qty: 1 }),
  ]

  return {
    next(): ScanInput {
      if (rnd.next() < badShare) return rnd.pick(badScans)()
      let roll = rnd.next() * MIX.reduce((sum, [, share]) => sum + share, 0)
      for (const [kind, share] of MIX) if ((roll -= share) < 0) return scans[kind]()
      return scans.pick()
    },
  }
}
