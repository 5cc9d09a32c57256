import { gs1CheckDigit } from '@wh/shared'

/** The demo warehouse: one site, a receiving dock, pick faces and reserve racks, 60 products, 6 scanners. */
export const DEMO_SITE = 'dc1'

const NAMES = [
  'Box cutter',
  'Packing tape',
  'Pallet wrap',
  'Shipping label roll',
  'Safety gloves',
  'Hi-vis vest',
  'Barcode ribbon',
  'Bubble wrap',
  'Corner protector',
  'Strapping band',
]
const SIZES = ['S', 'M', 'L', 'XL', 'Pro', 'Eco']

export function demoProducts() {
  return NAMES.flatMap((name, n) =>
    SIZES.map((size, s) => {
      const item = String(n * 10 + s + 1).padStart(5, '0')
      const body = `0950600${item}`
      return {
        sku: `SKU-${String(n + 1).padStart(2, '0')}${size.toUpperCase()}`,
        gtin: `0${body}${gs1CheckDigit(body)}`,
        name: `${name} ${size}`,
        reorderThreshold: 10 + ((n * 7 + s * 3) % 40),
      }
    }),
  )
}

export function demoLocations() {
  const racks = ['A', 'B', 'C'].flatMap((aisle) =>
    [1, 2, 3, 4].map((bay) => ({ code: `${aisle}-${String(bay).padStart(2, '0')}`, zone: aisle === 'A' ? 'pick-face' : 'reserve' })),
  )
  return [
    { code: 'DOCK-1', zone: 'receiving' },
    { code: 'DOCK-2', zone: 'receiving' },
    ...racks,
    { code: 'SHIP-1', zone: 'shipping', pickable: false, reservable: false },
  ]
}

export function demoDevices() {
  return [
    ...[1, 2, 3, 4, 5].map((i) => ({ id: `HH-${String(i).padStart(2, '0')}`, kind: 'handheld' as const })),
    { id: 'FX-DOCK-1', kind: 'fixed' as const },
  ]
}

/**
 * Open purchase orders at the dock: each demo product is on one of them, 200 ordered. Their
 * numbers are in the range the simulator's receipts carry (PO-1000 to PO-1099).
 */
export function demoPurchaseOrders(today = new Date()) {
  const suppliers = ['Northwind Packaging', 'Contoso Safety', 'Fabrikam Labels']
  const skus = demoProducts().map((p) => p.sku)
  return suppliers.map((supplier, i) => ({
    poNumber: `PO-${1000 + i}`,
    site: DEMO_SITE,
    supplier,
    expectedAt: new Date(today.getTime() + (i + 1) * 86_400_000).toISOString().slice(0, 10),
    lines: skus.filter((_, n) => n % suppliers.length === i).map((sku) => ({ sku, qty: 200 })),
  }))
}
