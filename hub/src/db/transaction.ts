import type { Pool, PoolConnection } from 'mysql2/promise'
import { isTransientDbError } from './transient-errors.ts'

/**
 * Runs `work` in one transaction on a pooled connection: committed if it returns, rolled back if
 * it throws, and run again (a few times) after a deadlock or lock wait, which InnoDB resolves by
 * aborting one of the parties.
 */
export async function inTransaction<T>(pool: Pool, work: (conn: PoolConnection) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.getConnection()
    try {
      await conn.beginTransaction()
      const result = await work(conn)
      await conn.commit()
      return result
    } catch (err) {
      await conn.rollback().catch(() => undefined)
      if (attempt >= attempts || !isTransientDbError(err) || (err as { errno?: number }).errno === 1205) throw err
    } finally {
      conn.release()
    }
  }
}
