import { join } from 'node:path'

/**
 * The demo warehouse's scanners and purchase orders. Its site, locations, products, GTINs and
 * opening stock are CSV files in `demo/warehouse/`, loaded through the import like anyone's.
 */
export const DEMO_FOLDER = join(import.meta.dirname, '../../../demo/warehouse')
export const DEMO_SITE = 'dc1'

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
export function demoPurchaseOrders(skus: string[], today = new Date()) {
  const suppliers = ['Northwind Packaging', 'Contoso Safety', 'Fabrikam Labels']
  return suppliers.map((supplier, i) => ({
    poNumber: `PO-${1000 + i}`,
    site: DEMO_SITE,
    supplier,
    expectedAt: new Date(today.getTime() + (i + 1) * 86_400_000).toISOString().slice(0, 10),
    lines: skus.filter((_, n) => n % suppliers.length === i).map((sku) => ({ sku, qty: 200 })),
  }))
}
