import { and, asc, eq } from 'drizzle-orm'
import type { HandheldReceiving, ReceivingPo } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { poLines, products, purchaseOrders } from '../db/schema/index.ts'
import { productFacts, shown } from './product-facts.ts'

/** The site's open purchase orders in number order, each line with what remains to receive. */
export async function openPurchaseOrders(db: Db, site: string): Promise<HandheldReceiving> {
  const rows = await db
    .select({
      poNumber: purchaseOrders.poNumber,
      supplier: purchaseOrders.supplier,
      expectedAt: purchaseOrders.expectedAt,
      sku: products.sku,
      ordered: poLines.qtyOrdered,
      received: poLines.qtyReceived,
    })
    .from(purchaseOrders)
    .innerJoin(poLines, eq(poLines.poId, purchaseOrders.id))
    .innerJoin(products, eq(products.id, poLines.productId))
    .where(and(eq(purchaseOrders.site, site), eq(purchaseOrders.status, 'open')))
    .orderBy(asc(purchaseOrders.poNumber), asc(products.sku))
  const facts = await productFacts(
    db,
    rows.map((r) => r.sku),
  )
  const byNumber = new Map<string, ReceivingPo>()
  for (const r of rows) {
    let po = byNumber.get(r.poNumber)
    if (!po) {
      po = { poNumber: r.poNumber, status: 'open', lines: [] }
      if (r.supplier !== '') po.supplier = r.supplier
      if (r.expectedAt !== null) po.expectedAt = r.expectedAt
      byNumber.set(r.poNumber, po)
    }
    po.lines.push({ ...shown(facts.get(r.sku)!), ordered: r.ordered, received: r.received, remaining: r.ordered - r.received })
  }
  return { purchaseOrders: [...byNumber.values()] }
}
