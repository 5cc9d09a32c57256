import { sql, type SQL } from 'drizzle-orm'
import type { MySqlColumn } from 'drizzle-orm/mysql-core'
import {
  devices,
  heldEvents,
  locations,
  lots,
  orders,
  poLines,
  purchaseOrders,
  reorderThresholds,
  reservations,
  stockLevels,
  stockMovements,
} from '../db/schema/index.ts'
import { HubError } from '../errors.ts'
import type { CatalogEntity, Tx } from './catalog-tx.ts'

interface Reference {
  /** What a person calls the rows that point at the entity. */
  what: string
  column: MySqlColumn
}

/**
 * What may point at each kind of catalog row. A row that anything points at is never deleted: the
 * ledger must keep explaining every unit, so such a row is deactivated instead.
 */
const REFERENCES: Record<CatalogEntity, Reference[]> = {
  product: [
    { what: 'the ledger (stock movements)', column: stockMovements.productId },
    { what: 'stock levels', column: stockLevels.productId },
    { what: 'lots', column: lots.productId },
    { what: 'reservations', column: reservations.productId },
    { what: 'purchase order lines', column: poLines.productId },
    { what: 'held events', column: heldEvents.productId },
  ],
  location: [
    { what: 'the ledger (stock movements)', column: stockMovements.locationId },
    { what: 'stock levels', column: stockLevels.locationId },
    { what: 'lots', column: lots.locationId },
    { what: 'reservations', column: reservations.locationId },
    { what: 'held events', column: heldEvents.locationId },
  ],
  site: [
    { what: 'locations', column: locations.site },
    { what: 'devices', column: devices.site },
    { what: 'reorder thresholds', column: reorderThresholds.site },
    { what: 'purchase orders', column: purchaseOrders.site },
    { what: 'orders', column: orders.site },
  ],
}

const exists = (column: MySqlColumn, value: number | string, i: number): SQL =>
  sql`EXISTS (SELECT 1 FROM ${column.table} WHERE ${column} = ${value}) AS ${sql.raw(`r${i}`)}`

/**
 * Refuses (409 IN_USE, naming each kind of reference) to delete a catalog row that anything
 * points at. Run it with the row locked: a scan's insert of a ledger row then waits on the
 * foreign key's check until the delete commits, and fails it.
 */
export async function refuseIfReferenced(tx: Tx, entity: CatalogEntity, name: string, value: number | string): Promise<void> {
  const references = REFERENCES[entity]
  const [rows] = (await tx.execute(
    sql`SELECT ${sql.join(
      references.map((r, i) => exists(r.column, value, i)),
      sql`, `,
    )}`,
  )) as unknown as [Record<string, number | string>[]]
  const found = references.filter((_, i) => Number(rows[0]![`r${i}`]) === 1)
  if (found.length === 0) return
  throw new HubError(
    'IN_USE',
    `${entity} ${name} is referenced by ${found.map((r) => r.what).join(', ')}`,
    found.map((r) => ({ referencedBy: r.what })),
  )
}
