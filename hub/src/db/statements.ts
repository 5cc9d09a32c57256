import type { PoolConnection } from 'mysql2/promise'

export interface Statement {
  sql: string
  values?: unknown[]
}

/**
 * Sends several statements as one round trip and returns each one's result, in order. A batch's
 * transaction is a dozen short statements: one round trip each cost more (in syscalls and context
 * switches on both ends) than the statements themselves. The server stops at the first error,
 * so a failed statement leaves the rest unrun and the caller rolls back. The values are escaped
 * by the driver, as a single statement's are; no SQL here is built from input.
 */
export async function runStatements(conn: PoolConnection, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return []
  const [results] = await conn.query(statements.map((s) => conn.format(s.sql, s.values ?? [])).join(';\n'))
  return statements.length === 1 ? [results] : (results as unknown[])
}
