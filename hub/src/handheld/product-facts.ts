import { inArray } from 'drizzle-orm'
import type { Db } from '../db/connection.ts'
import { productGtins, products } from '../db/schema/index.ts'

/** What a handheld shows of a product on a work list, and the GTINs a scan of it may carry. */
export interface ProductFacts {
  id: number
  sku: string
  name: string
  gtins: string[]
}

/** Each product's name and GTINs, by SKU, in two queries whatever the count. */
export async function productFacts(db: Db, skus: readonly string[]): Promise<Map<string, ProductFacts>> {
  const facts = new Map<string, ProductFacts>()
  if (skus.length === 0) return facts
  const rows = await db
    .select({ id: products.id, sku: products.sku, name: products.name })
    .from(products)
    .where(inArray(products.sku, [...new Set(skus)]))
  if (rows.length === 0) return facts
  const gtins = await db
    .select({ productId: productGtins.productId, gtin: productGtins.gtin })
    .from(productGtins)
    .where(
      inArray(
        productGtins.productId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(productGtins.gtin)
  const byId = new Map<number, ProductFacts>()
  for (const row of rows) {
    const product = { ...row, gtins: [] }
    facts.set(row.sku, product)
    byId.set(row.id, product)
  }
  for (const { productId, gtin } of gtins) byId.get(productId)!.gtins.push(gtin)
  return facts
}

/** A work-list line's product: its SKU, name and GTINs (no row id). */
export const shown = ({ sku, name, gtins }: ProductFacts) => ({ sku, name, gtins })
