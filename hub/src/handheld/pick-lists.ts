import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { HandheldOrders, HandheldPickPlan, Order } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { locations, lots, orders, reservations } from '../db/schema/index.ts'
import { fefo } from '../stock/lot-plan.ts'
import { productFacts } from './product-facts.ts'

/** Orders that may still be picked: a pick consumes a reservation only while its order holds it. */
const PICKABLE: Order['status'][] = ['pending', 'confirmed']

/** What an order still holds (active reservations with stock left): per product and location. */
const stillHeld = (where: SQL) => and(eq(reservations.status, 'active'), gt(reservations.qty, 0), where)

const remainingKey = (orderId: string, productId: number) => `${orderId}/${productId}`

/** The site's orders still holding stock to pick, oldest first, each line with what remains of it. */
export async function openOrders(db: Db, site: string): Promise<HandheldOrders> {
  const held = await db
    .select({
      orderId: reservations.orderId,
      productId: reservations.productId,
      qty: sql<number>`SUM(${reservations.qty})`.mapWith(Number),
    })
    .from(reservations)
    .innerJoin(orders, eq(orders.id, reservations.orderId))
    .where(stillHeld(and(eq(orders.site, site), inArray(orders.status, PICKABLE))!))
    .groupBy(reservations.orderId, reservations.productId)
  if (held.length === 0) return { orders: [] }
  const rows = await db
    .select({ orderId: orders.id, status: orders.status, createdAt: orders.createdAt, placed: orders.responseBody })
    .from(orders)
    .where(inArray(orders.id, [...new Set(held.map((h) => h.orderId))]))
    .orderBy(asc(orders.createdAt), asc(orders.id))
  // The lines as placed: the body answered when the order reserved (only reserved orders hold stock).
  const placed = rows.map((r) => ({ ...r, lines: (JSON.parse(r.placed) as Order).lines }))
  // SKUs never change, and a product an order names cannot be deleted: every line's product is found.
  const facts = await productFacts(
    db,
    placed.flatMap((o) => o.lines.map((l) => l.sku)),
  )
  const remaining = new Map(held.map((h) => [remainingKey(h.orderId, h.productId), h.qty]))
  return {
    orders: placed.map((o) => ({
      orderId: o.orderId,
      status: o.status as Order['status'],
      createdAt: o.createdAt.toISOString(),
      lines: o.lines.map((line) => {
        const product = facts.get(line.sku)!
        return { sku: line.sku, name: product.name, qty: line.qty, remaining: remaining.get(remainingKey(o.orderId, product.id)) ?? 0 }
      }),
    })),
  }
}

/**
 * Where to pick an order: per line, the locations its reservations still hold stock at, each with
 * the product's lots there in the order a pick takes them (the stock core's own FEFO order).
 */
export async function pickPlan(db: Db, order: Order): Promise<HandheldPickPlan> {
  const facts = await productFacts(
    db,
    order.lines.map((l) => l.sku),
  )
  const held = await db
    .select({
      productId: reservations.productId,
      locationId: reservations.locationId,
      location: locations.code,
      qty: reservations.qty,
    })
    .from(reservations)
    .innerJoin(locations, eq(locations.id, reservations.locationId))
    .where(stillHeld(eq(reservations.orderId, order.orderId)))
    .orderBy(asc(locations.code))
  const stock =
    held.length === 0
      ? []
      : await db
          .select({
            id: lots.id,
            productId: lots.productId,
            locationId: lots.locationId,
            code: lots.lotCode,
            expiry: lots.expiry,
            qty: lots.qty,
            poNumber: lots.poNumber,
          })
          .from(lots)
          .where(and(gt(lots.qty, 0), or(...held.map((h) => and(eq(lots.productId, h.productId), eq(lots.locationId, h.locationId))))))
  const lotsAt = (productId: number, locationId: number) =>
    stock
      .filter((l) => l.productId === productId && l.locationId === locationId)
      .sort(fefo)
      .map((l) => ({ lot: l.code, expiry: l.expiry, onHand: l.qty }))
  return {
    orderId: order.orderId,
    status: order.status,
    lines: order.lines.map((line) => {
      const product = facts.get(line.sku)!
      const picks = held
        .filter((h) => h.productId === product.id)
        .map((h) => ({ location: h.location, qty: h.qty, lots: lotsAt(h.productId, h.locationId) }))
      return { sku: line.sku, name: product.name, gtins: product.gtins, remaining: picks.reduce((n, p) => n + p.qty, 0), picks }
    }),
  }
}
