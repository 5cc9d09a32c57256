import type { PoolConnection } from 'mysql2/promise'
import { locations, lots, products, stockLevels } from '../db/schema/index.ts'
import { runStatements, type Statement } from '../db/statements.ts'
import { columns, type Row } from '../db/typed-rows.ts'
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

const LEVEL_KEYS = ['productId', 'locationId', 'onHand', 'reserved', 'version'] as const
export type LevelRow = Row<typeof stockLevels, (typeof LEVEL_KEYS)[number]>
// The expiry is read as DATE_FORMAT text beside these, as the string drizzle's date column types.
const LOT_KEYS = ['id', 'productId', 'locationId', 'lotCode', 'qty', 'poNumber'] as const
export type LotRow = Row<typeof lots, (typeof LOT_KEYS)[number] | 'expiry'>

/**
 * Locks the level rows only, in lock order. Joined to products or locations, a locking read would
 * lock their rows too and hold up every scan at those locations (a ledger insert's foreign-key
 * check reads its location) until the transaction ends.
 */
export function lockLevelsStatement(pairs: LevelPair[]): Statement {
  return {
    sql: `SELECT ${columns(stockLevels, LEVEL_KEYS)} FROM stock_levels
     WHERE (product_id, location_id) IN (?) ORDER BY product_id, location_id FOR UPDATE`,
    values: [inLockOrder(pairs)],
  }
}

export function parseLevels(rows: LevelRow[]): Map<string, StockLevel> {
  const levels = new Map<string, StockLevel>()
  for (const r of rows) {
    const l: StockLevel = {
      productId: r.productId,
      locationId: r.locationId,
      onHand: r.onHand,
      reserved: r.reserved,
      // BIGINT: past 2^53 the driver answers a string (supportBigNumbers).
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
    sql: `SELECT ${columns(lots, LOT_KEYS)}, DATE_FORMAT(expiry, '%Y-%m-%d') AS expiry
     FROM lots FORCE INDEX (lots_product_location_code) WHERE (product_id, location_id) IN (?) FOR UPDATE`,
    values: [inLockOrder(pairs)],
  }
}

/** Each level's lots, by level key. */
export function parseLots(rows: LotRow[]): Map<string, LotState[]> {
  const byLevel = new Map<string, LotState[]>()
  for (const r of rows) {
    const key = levelKey(r.productId, r.locationId)
    const lot: LotState = {
      id: Number(r.id),
      productId: r.productId,
      locationId: r.locationId,
      code: r.lotCode,
      expiry: r.expiry,
      qty: r.qty,
      poNumber: r.poNumber,
    }
    byLevel.set(key, [...(byLevel.get(key) ?? []), lot])
  }
  return byLevel
}

/** Locks the levels, then their lots, in one round trip. */
export async function lockLevelsAndLots(conn: PoolConnection, pairs: LevelPair[]) {
  const [levels, lotRows] = await runStatements(conn, [lockLevelsStatement(pairs), lockLotsStatement(pairs)])
  return { levels: parseLevels(levels as LevelRow[]), lots: parseLots(lotRows as LotRow[]) }
}

/** A level an order may reserve from: named, with its location's zone. */
export interface ReservableLevel extends NamedLevel {
  zone: string
}

/**
 * Locks a site's levels of these products, in lock order, and nothing else: only those an order
 * may reserve from (at `reservable`, `active` locations) unless `all` (a release gives back
 * wherever the order holds, even at a location made unreservable since). The site's locations are
 * chosen in a subquery, which a locking read does not lock; the names are read beside it,
 * unlocked (an order never changes them).
 */
export async function lockSiteLevels(
  conn: PoolConnection,
  site: string,
  productIds: number[],
  opts: { all?: boolean } = {},
): Promise<ReservableLevel[]> {
  const reservable = opts.all ? '' : ' AND sellable'
  const [levels, skuRows, places] = await runStatements(conn, [
    {
      sql: `SELECT ${columns(stockLevels, LEVEL_KEYS)} FROM stock_levels
       WHERE product_id IN (?) AND location_id IN (SELECT id FROM locations WHERE site = ?${reservable})
       ORDER BY product_id, location_id FOR UPDATE`,
      values: [productIds, site],
    },
    { sql: `SELECT ${columns(products, ['id', 'sku'])} FROM products WHERE id IN (?)`, values: [productIds] },
    {
      sql: `SELECT ${columns(locations, ['id', 'code', 'zone'])} FROM locations WHERE site = ? AND id IN (SELECT location_id FROM stock_levels WHERE product_id IN (?))`,
      values: [site, productIds],
    },
  ])
  const skus = new Map((skuRows as Row<typeof products, 'id' | 'sku'>[]).map((r) => [r.id, r.sku]))
  const byId = new Map((places as Row<typeof locations, 'id' | 'code' | 'zone'>[]).map((r) => [r.id, r]))
  return [...parseLevels(levels as LevelRow[]).values()].map((l) => ({
    ...l,
    sku: skus.get(l.productId)!,
    location: byId.get(l.locationId)!.code,
    zone: byId.get(l.locationId)!.zone,
  }))
}
