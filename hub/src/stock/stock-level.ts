import type { stockLevels } from '../db/schema/index.ts'

type LevelRow = typeof stockLevels.$inferSelect

/** A stock level as every writer reads, locks and writes it: the one shape the core knows. */
export type StockLevel = Pick<LevelRow, 'productId' | 'locationId' | 'onHand' | 'reserved' | 'version'>

/** A level with the names the cache, the screens and the API know it by. */
export interface NamedLevel extends StockLevel {
  sku: string
  location: string
}

/** The one key of a level in maps and sets. */
export const levelKey = (productId: number, locationId: number) => `${productId}:${locationId}`

/**
 * The lock order every writer keeps: stock levels by (product, location), then reservations,
 * then lots, then purchase orders. Writers in different partitions, the API and reconciliation
 * then wait for each other instead of deadlocking.
 */
export const byLockOrder = (a: Pick<StockLevel, 'productId' | 'locationId'>, b: Pick<StockLevel, 'productId' | 'locationId'>) =>
  a.productId - b.productId || a.locationId - b.locationId
