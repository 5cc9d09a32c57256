import mysql from 'mysql2/promise'
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2'
import * as schema from './schema/index.ts'

export type Db = MySql2Database<typeof schema>
/** What reads take: the pool, or one connection (a transaction's, a snapshot's). */
export type Queryable = mysql.Pool | mysql.PoolConnection
export interface Database {
  pool: mysql.Pool
  db: Db
}

/** Creates the database named in the URL if it does not exist yet (first run, per-test databases). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.slice(1))
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error(`invalid database name in MYSQL_URL: ${name}`)
  target.pathname = '/'
  const conn = await mysql.createConnection(target.toString())
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
  } finally {
    await conn.end()
  }
}

export function connectDatabase(url: string, poolSize: number): Database {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: poolSize,
    // Conditional updates are checked by changed rows, not matched rows (docs/reliability.md, what the parts underneath guarantee).
    flags: ['-FOUND_ROWS'],
    dateStrings: false,
    timezone: 'Z',
    supportBigNumbers: true,
    connectTimeout: 5000,
    // A batch sends its statements in one round trip (db/statements.ts). Every value still goes
    // through the driver's escaping; no SQL is put together from input.
    multipleStatements: true,
  })
  // Every write takes row locks or checks a condition; none relies on a repeatable snapshot. READ
  // COMMITTED spares batches the gap locks that deadlock concurrent inserts of new level rows
  // (products never share a partition, so two batches never race for the same new row).
  pool.pool.on('connection', (conn) => {
    conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
    // DATETIME defaults (CURRENT_TIMESTAMP) are stamped in UTC, as the driver reads them back.
    conn.query("SET time_zone = '+00:00'")
  })
  return { pool, db: drizzle(pool, { schema, mode: 'default' }) }
}
