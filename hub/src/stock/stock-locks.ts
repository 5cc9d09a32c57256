import type { PoolConnection, RowDataPacket } from 'mysql2/promise'
import { runStatements, type Statement } from '../db/statements.ts'
import type { LotState } from './lot-plan.ts'
import { byLockOrder, levelKey, type NamedLevel, type StockLevel } from './stock-level.ts'

/** A level named by its (product, location) pair. */
export type LevelPair = [productId: number, locationId: number]

/** The pairs, deduplicated and in lock order. */
export function inLockOrder(pairs: Iterable<LevelPair>): LevelPair[] {
  const unique = new Map<string, LevelPair>()
  for (const [productId, locationId] of pairs) unique.set(levelKey(productId, locationId), [productId, locationId])
  return [...unique.values()].sort((a, b) => byLockOrder({ productId: a[0], locationId: a[1] }, { productId: b[0], locationId: b[1] }))
}

/**
 * Locks the level rows only, in lock order. Joined to products or locations, a locking read would
 * lock their rows too and hold up every scan at those locations (a ledger insert's foreign-key
 * check reads its location) until the transaction ends.
 */
export function lockLevelsStatement(pairs: LevelPair[]): Statement {
  return {
    sql: `SELECT product_id, location_id, on_hand, reserved, version FROM stock_levels
     WHERE (product_id, location_id) IN (?) ORDER BY product_id, location_id FOR UPDATE`,
    values: [inLockOrder(pairs)],
  }
}

export function parseLevels(rows: RowDataPacket[]): Map<string, StockLevel> {
  const levels = new Map<string, StockLevel>()
  for (const r of rows) {
    const l: StockLevel = {
      productId: r.product_id,
      locationId: r.location_id,
      onHand: r.on_hand,
      reserved: r.reserved,
      version: Number(r.version),
    }
    levels.set(levelKey(l.productId, l.locationId), l)
  }
  return levels
}

/**
 * Locked after the levels. A locking read locks every row its plan reads, so the plan must be the
 * (product, location) index: with `ORDER BY id` and the statistics of a young table, MariaDB chose
 * to scan the whole primary key instead, which locked every lot and queued every partition's
 * batch behind one another (seconds-long stalls at 1,000 events/s).
 */
export function lockLotsStatement(pairs: LevelPair[]): Statement {
  return {
    sql: `SELECT id, product_id, location_id, lot_code, DATE_FORMAT(expiry, '%Y-%m-%d') AS expiry, qty, po_number
     FROM lots FORCE INDEX (lots_product_location_code) WHERE (product_id, location_id) IN (?) FOR UPDATE`,
    values: [inLockOrder(pairs)],
  }
}

/** Each level's lots, by level key. */
export function parseLots(rows: RowDataPacket[]): Map<string, LotState[]> {
  const lots = new Map<string, LotState[]>()
  for (const r of rows) {
    const key = levelKey(r.product_id, r.location_id)
    const lot: LotState = {
      id: Number(r.id),
      productId: r.product_id,
      locationId: r.location_id,
      code: r.lot_code,
      expiry: r.expiry,
      qty: r.qty,
      poNumber: r.po_number,
    }
    lots.set(key, [...(lots.get(key) ?? []), lot])
  }
  return lots
}

/** Locks the levels, then their lots, in one round trip. */
export async function lockLevelsAndLots(conn: PoolConnection, pairs: LevelPair[]) {
  const [levels, lots] = (await runStatements(conn, [lockLevelsStatement(pairs), lockLotsStatement(pairs)])) as RowDataPacket[][]
  return { levels: parseLevels(levels!), lots: parseLots(lots!) }
}

/** A level an order may reserve from: named, with its location's zone. */
export interface ZonedLevel extends NamedLevel {
  zone: string
}

/**
 * Locks a site's levels of these products outside the given zones, in lock order, and nothing
 * else. The site's locations are chosen in a subquery, which a locking read does not lock; the
 * names are read beside it, unlocked (an order never changes them).
 */
export async function lockSiteLevels(
  conn: PoolConnection,
  site: string,
  productIds: number[],
  excludedZones: readonly string[],
): Promise<ZonedLevel[]> {
  const [levels, products, locations] = (await runStatements(conn, [
    {
      sql: `SELECT product_id, location_id, on_hand, reserved, version FROM stock_levels
       WHERE product_id IN (?) AND location_id IN (SELECT id FROM locations WHERE site = ? AND zone NOT IN (?))
       ORDER BY product_id, location_id FOR UPDATE`,
      values: [productIds, site, excludedZones],
    },
    { sql: 'SELECT id, sku FROM products WHERE id IN (?)', values: [productIds] },
    {
      sql: 'SELECT id, code, zone FROM locations WHERE site = ? AND id IN (SELECT location_id FROM stock_levels WHERE product_id IN (?))',
      values: [site, productIds],
    },
  ])) as RowDataPacket[][]
  const skus = new Map(products!.map((r) => [r.id as number, r.sku as string]))
  const places = new Map(locations!.map((r) => [r.id as number, r]))
  return [...parseLevels(levels!).values()].map((l) => ({
    ...l,
    sku: skus.get(l.productId)!,
    location: places.get(l.locationId)!.code,
    zone: places.get(l.locationId)!.zone,
  }))
}
