import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import type { Database } from './connection.ts'

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url))

/**
 * Applies the committed drizzle-kit migrations. A named lock, held on a connection of its own,
 * keeps two hub instances that start together from racing through the same migration.
 */
export async function runMigrations({ db }: Database, url: string): Promise<void> {
  const lock = await mysql.createConnection(url)
  try {
    const [rows] = await lock.query('SELECT GET_LOCK(CONCAT(DATABASE(), ".migrate"), 60) AS got')
    if ((rows as { got: number }[])[0]?.got !== 1) throw new Error('timed out waiting for the migration lock')
    await migrate(db, { migrationsFolder: MIGRATIONS })
  } finally {
    await lock.end()
  }
}
