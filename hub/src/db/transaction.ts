import type { Pool, PoolConnection } from 'mysql2/promise'
import { isTransientDbError } from './transient-errors.ts'

/**
 * How long a request's transaction may take before the request is answered 503: a database that
 * stopped answering (a blackholed link never errors by itself, and mysql2 has no statement
 * timeout) must not hold an ordering site's request until its own client gives up.
 */
export const REQUEST_TRANSACTION_TIMEOUT_MS = 5000

/** A transaction with a deadline did not finish in time; its connection was destroyed, so it rolled back. */
export class DatabaseTimeoutError extends Error {
  readonly code = 'DB_UNAVAILABLE'
  readonly statusCode = 503
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`)
  }
}

/**
 * Runs `work` in one transaction on a pooled connection: committed if it returns, rolled back if
 * it throws, and run again (a few times) after a deadlock or lock wait, which InnoDB resolves by
 * aborting one of the parties. With `timeoutMs`, gives up after that long in all: the connection
 * in use is destroyed (the server rolls its transaction back) and a DatabaseTimeoutError thrown.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (conn: PoolConnection) => Promise<T>,
  attempts = 4,
  timeoutMs?: number,
): Promise<T> {
  const state: { timedOut: boolean; conn?: PoolConnection } = { timedOut: false }
  const running = attemptAll(pool, work, attempts, state)
  if (!timeoutMs) return running
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      state.timedOut = true
      state.conn?.destroy()
      running.catch(() => undefined) // it fails on the destroyed connection, later; nobody waits for it
      reject(new DatabaseTimeoutError(timeoutMs))
    }, timeoutMs)
  })
  try {
    return await Promise.race([running, deadline])
  } finally {
    clearTimeout(timer)
  }
}

async function attemptAll<T>(
  pool: Pool,
  work: (conn: PoolConnection) => Promise<T>,
  attempts: number,
  state: { timedOut: boolean; conn?: PoolConnection },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.getConnection()
    if (state.timedOut) {
      conn.release()
      throw new Error('transaction abandoned after its deadline')
    }
    state.conn = conn
    try {
      await conn.beginTransaction()
      const result = await work(conn)
      await conn.commit()
      return result
    } catch (err) {
      if (state.timedOut) throw err
      await conn.rollback().catch(() => undefined)
      if (attempt >= attempts || !isTransientDbError(err) || (err as { errno?: number }).errno === 1205) throw err
    } finally {
      state.conn = undefined
      // A connection destroyed at the deadline must not go back to the pool.
      if (!state.timedOut) conn.release()
    }
  }
}

/** Runs reads on one connection that all see one moment (a consistent, read-only snapshot). */
export async function inSnapshot<T>(pool: Pool, work: (conn: PoolConnection) => Promise<T>): Promise<T> {
  const conn = await pool.getConnection()
  let done = false
  try {
    // The pool's sessions read committed (connection.ts), where every statement sees its own
    // moment; this one transaction repeats its reads, and the session keeps its level after.
    await conn.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
    await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')
    const result = await work(conn)
    await conn.query('COMMIT')
    done = true
    return result
  } finally {
    // A connection that failed mid-snapshot is not given back to the pool.
    if (done) conn.release()
    else conn.destroy()
  }
}
