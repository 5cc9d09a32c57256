export const SECTIONS = { products: 'Products', locations: 'Locations', import: 'CSV import' } as const
export type Section = keyof typeof SECTIONS

/** The section and product shown are in the address, so they can be linked to and the back button works. */
export function catalogHref(shown: { section?: Section; sku?: string }): string {
  const params = new URLSearchParams()
  if (shown.section && shown.section !== 'products') params.set('section', shown.section)
  if (shown.sku) params.set('sku', shown.sku)
  const q = params.toString()
  return `/console/catalog${q ? `?${q}` : ''}`
}

/** What changes the catalog: its own routes, and an import of any kind. */
export const PRODUCT_TOPICS = ['products', 'imports'] as const
export const LOCATION_TOPICS = ['sites', 'imports'] as const
