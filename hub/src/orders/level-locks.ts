import type { PoolConnection, RowDataPacket } from 'mysql2/promise'
import { runStatements } from '../db/statements.ts'
import { UNRESERVABLE_ZONES, type ReservableLevel } from './allocate.ts'

/**
 * Locks a site's reservable levels of these products, in (product, location) order as every
 * writer of stock levels does, and nothing else. A locking read locks a row in every table it
 * joins: joined to its locations and products, it made every order on a site wait for every
 * other, and every scan's ledger insert there (whose foreign-key check reads the location) wait
 * for the orders. The site's locations are chosen in a subquery, which a locking read does not
 * lock; the names are read beside it, unlocked (an order never changes them).
 */
export async function lockReservableLevels(conn: PoolConnection, site: string, productIds: number[]): Promise<ReservableLevel[]> {
  const [levels, products, locations] = (await runStatements(conn, [
    {
      sql: `SELECT product_id, location_id, on_hand, reserved, version FROM stock_levels
       WHERE product_id IN (?) AND location_id IN (SELECT id FROM locations WHERE site = ? AND zone NOT IN (?))
       ORDER BY product_id, location_id FOR UPDATE`,
      values: [productIds, site, UNRESERVABLE_ZONES],
    },
    { sql: 'SELECT id, sku FROM products WHERE id IN (?)', values: [productIds] },
    {
      sql: 'SELECT id, code, zone FROM locations WHERE site = ? AND id IN (SELECT location_id FROM stock_levels WHERE product_id IN (?))',
      values: [site, productIds],
    },
  ])) as RowDataPacket[][]
  const skus = new Map(products!.map((r) => [r.id as number, r.sku as string]))
  const places = new Map(locations!.map((r) => [r.id as number, r]))
  return levels!.map((r) => ({
    productId: r.product_id,
    locationId: r.location_id,
    sku: skus.get(r.product_id)!,
    location: places.get(r.location_id)!.code,
    zone: places.get(r.location_id)!.zone,
    onHand: r.on_hand,
    reserved: r.reserved,
    version: Number(r.version),
  }))
}
