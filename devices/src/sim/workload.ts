import { gs1CheckDigit } from '@wh/shared'
import type { ScanInput } from '../scanner-client.ts'
import type { seededRandom } from './seeded-random.ts'

export interface Catalog {
  site: string
  products: { sku: string; gtin: string | null }[]
  locations: { code: string; zone: string }[]
  /** Lines of the site's open purchase orders still to receive; receipts go against them. */
  openPoLines?: { poNumber: string; sku: string }[]
}

type Random = ReturnType<typeof seededRandom>

/** The share of each kind of scan on a typical floor shift; the rest are bad scans. */
const MIX = [
  ['receive', 0.28],
  ['pick', 0.36],
  ['move', 0.12],
  ['count', 0.1],
  ['adjust', 0.06],
] as const

const yymmdd = (d: Date) => d.toISOString().slice(2, 10).replaceAll('-', '')

/**
 * A realistic, seeded stream of scans: receipts against purchase orders with GS1-128 labels at the
 * docks, picks against orders at the pick faces, moves from dock to racks, cycle counts,
 * adjustments with a reason, and a small share of bad scans (unknown items, damaged labels,
 * unknown locations) that the hub must reject.
 */
export function createWorkload(catalog: Catalog, rnd: Random, badShare = 0.08) {
  const zone = (name: string) => catalog.locations.filter((l) => l.zone === name).map((l) => l.code)
  const all = catalog.locations.map((l) => l.code)
  const docks = zone('receiving').length ? zone('receiving') : all
  const racks = all.filter((c) => !docks.includes(c))
  const pickFaces = zone('pick-face').length ? zone('pick-face') : racks.length ? racks : all
  if (catalog.products.length === 0 || all.length === 0) throw new Error(`site ${catalog.site} has no products or no locations to scan`)

  const product = () => rnd.pick(catalog.products)
  const productBarcode = (p: Catalog['products'][number]) => (p.gtin && rnd.next() < 0.5 ? p.gtin.replace(/^0/, '') : p.sku)

  const scans: Record<(typeof MIX)[number][0], () => ScanInput> = {
    receive() {
      // Against an open PO line when the site has one, else a delivery without a PO.
      const line = catalog.openPoLines?.length ? rnd.pick(catalog.openPoLines) : undefined
      const p = line ? (catalog.products.find((c) => c.sku === line.sku) ?? product()) : product()
      const qty = rnd.int(1, 24)
      const expiry = yymmdd(new Date(Date.UTC(2027, rnd.int(0, 11), rnd.int(1, 28))))
      const po = line ? `(400)${line.poNumber}` : ''
      const barcode = p.gtin ? `(01)${p.gtin}(10)L${rnd.int(100, 999)}(17)${expiry}(37)${qty}${po}` : p.sku
      return { type: 'receive', barcode, location: rnd.pick(docks), qty, ...(line ? { poNumber: line.poNumber } : {}) }
    },
    pick: () => ({
      type: 'pick',
      barcode: productBarcode(product()),
      location: rnd.pick(pickFaces),
      qty: rnd.int(1, 3),
      orderId: `ORD-${rnd.int(1, 5000)}`,
    }),
    move() {
      const from = rnd.pick(docks)
      const to = rnd.pick(racks.length ? racks : all.filter((c) => c !== from))
      return { type: 'move', barcode: productBarcode(product()), location: from, toLocation: to, qty: rnd.int(1, 10) }
    },
    count: () => ({ type: 'count', barcode: productBarcode(product()), location: rnd.pick(all), qty: rnd.int(0, 60) }),
    adjust: () => ({
      type: 'adjust',
      barcode: productBarcode(product()),
      location: rnd.pick(all),
      qty: rnd.pick([-2, -1, 1, 2]),
      reason: rnd.pick(['damaged', 'found during count', 'expired']),
    }),
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
