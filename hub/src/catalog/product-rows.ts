import { asc, inArray } from 'drizzle-orm'
import type { ProductInfo } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { productGtins, products, reorderThresholds } from '../db/schema/index.ts'
import type { Tx } from './catalog-tx.ts'

export type ProductRow = typeof products.$inferSelect

/** Products as the API shows them: each with its GTINs (smallest pack first) and per-site thresholds. */
export async function productInfos(tx: Db | Tx, rows: readonly ProductRow[]): Promise<ProductInfo[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const gtins = await tx
    .select()
    .from(productGtins)
    .where(inArray(productGtins.productId, ids))
    .orderBy(asc(productGtins.qty), asc(productGtins.gtin))
  const thresholds = await tx
    .select()
    .from(reorderThresholds)
    .where(inArray(reorderThresholds.productId, ids))
    .orderBy(reorderThresholds.site)
  return rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    reorderThreshold: r.reorderThreshold,
    siteThresholds: Object.fromEntries(thresholds.filter((t) => t.productId === r.id).map((t) => [t.site, t.threshold])),
    gtins: gtins.filter((g) => g.productId === r.id).map((g) => ({ gtin: g.gtin, qty: g.qty })),
    active: r.active,
    createdAt: r.createdAt.toISOString(),
  }))
}

/** What the audit keeps of a product: all of it but when it was made. */
export const auditedProduct = ({ createdAt: _, ...product }: ProductInfo) => product

/** The product as a key limited to sites may see it: thresholds of other sites left out. */
export function seenBy(product: ProductInfo, sites: readonly string[] | null | undefined): ProductInfo {
  if (!sites) return product
  const siteThresholds = Object.fromEntries(Object.entries(product.siteThresholds).filter(([site]) => sites.includes(site)))
  return { ...product, siteThresholds }
}
