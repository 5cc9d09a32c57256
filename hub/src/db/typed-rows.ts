import { getTableColumns, type Column, type InferSelectModel } from 'drizzle-orm'
import type { MySqlTable } from 'drizzle-orm/mysql-core'
import type { RowDataPacket } from 'mysql2/promise'

/*
 * Raw SQL reads typed from the drizzle tables. The query builder cannot express the statements
 * the stock core reads with (several statements in one round trip, FORCE INDEX, locking reads
 * with row-value IN lists), so they stay SQL; their select lists and row types come from the same
 * table definition here, so a column renamed in the schema breaks the build, not a read.
 */

/**
 * A row as mysql2's `query<…[]>` takes it: only the packet's brand is kept, not its `any` index
 * signature, so reading a column the statement does not select fails to compile.
 */
export type Packet<T> = Pick<RowDataPacket, 'constructor'> & T

/** Some columns of a table's row, under the drizzle names that `columns` aliases them to. */
export type Row<T extends MySqlTable, K extends keyof InferSelectModel<T>> = Packet<Pick<InferSelectModel<T>, K>>

/** The select list for these columns, each aliased to its drizzle name: s.`on_hand` AS `onHand`. */
export function columns<T extends MySqlTable, K extends keyof InferSelectModel<T> & string>(
  table: T,
  keys: readonly K[],
  alias?: string,
): string {
  const all: Record<string, Column> = getTableColumns(table)
  const prefix = alias ? `${alias}.` : ''
  return keys.map((key) => `${prefix}\`${all[key]!.name}\` AS \`${key}\``).join(', ')
}

/**
 * COUNT, SUM, MAX results (BIGINT, DECIMAL; NULL over no rows): the driver may answer a string, so
 * they are read with Number().
 */
export type Aggregate<K extends string> = Packet<Record<K, number | string | null>>
