/**
 * Errors after which the same transaction may succeed if run again: deadlock (1213), lock wait
 * timeout (1205), MariaDB's "record has changed" (1020), and a lost or refused connection.
 */
const RETRY_ERRNO = new Set([1020, 1205, 1213, 1040, 1053, 2002, 2003, 2006, 2013])
const RETRY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'EHOSTUNREACH'])

export function isTransientDbError(err: unknown): boolean {
  const e = err as { errno?: number; code?: string; fatal?: boolean }
  return (e.errno !== undefined && RETRY_ERRNO.has(e.errno)) || (e.code !== undefined && RETRY_CODES.has(e.code)) || e.fatal === true
}
