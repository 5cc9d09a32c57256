import { createHash } from 'node:crypto'
import type { Session } from 'fastify'
import type { Pool } from 'mysql2/promise'

type Callback = (err?: unknown) => void
type GetCallback = (err: unknown, session?: Session | null) => void

const idHash = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex')
const DEFAULT_TTL_MS = 12 * 3600_000

/**
 * @fastify/session's store, in MySQL. Written here because the maintained stores (Redis, memory)
 * cannot end every session of one person at once, which sign-out-everywhere, a password change and
 * a disabled account need: rows carry `user_id` for that. Rows are keyed by the id's hash, so the
 * table never holds a live cookie value; expired rows are refused on read and swept on write.
 */
export function createSessionStore(pool: Pool) {
  let lastSweep = 0
  async function sweep() {
    if (Date.now() - lastSweep < 60_000) return
    lastSweep = Date.now()
    await pool.query('DELETE FROM sessions WHERE expires_at < NOW(3)')
  }
  const done = (cb: Callback, work: Promise<unknown>) => void work.then(() => cb(), cb)

  return {
    set(sessionId: string, session: Session, cb: Callback) {
      const expires = session.cookie.expires ?? new Date(Date.now() + DEFAULT_TTL_MS)
      const userId = session.userId ?? null
      done(
        cb,
        pool
          .query(
            'INSERT INTO sessions (id_hash, user_id, data, expires_at) VALUES (?, ?, ?, ?) ' +
              'ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), data = VALUES(data), expires_at = VALUES(expires_at)',
            [idHash(sessionId), userId, JSON.stringify(session), expires],
          )
          .then(sweep),
      )
    },
    get(sessionId: string, cb: GetCallback) {
      pool.query('SELECT data FROM sessions WHERE id_hash = ? AND expires_at > NOW(3)', [idHash(sessionId)]).then(([rows]) => {
        const [row] = rows as { data: string }[]
        cb(null, row ? (JSON.parse(row.data) as Session) : null)
      }, cb)
    },
    destroy(sessionId: string, cb: Callback) {
      done(cb, pool.query('DELETE FROM sessions WHERE id_hash = ?', [idHash(sessionId)]))
    },
    /** Whether a session is still stored (not signed out, ended or expired). */
    async exists(sessionId: string): Promise<boolean> {
      const [rows] = await pool.query('SELECT 1 FROM sessions WHERE id_hash = ? AND expires_at > NOW(3)', [idHash(sessionId)])
      return (rows as unknown[]).length > 0
    },
    /** Ends every session of a person, but the one kept (a password change keeps the changer's). */
    async endAll(userId: number, keep?: string): Promise<number> {
      const [result] = await pool.query('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?', [userId, keep ? idHash(keep) : ''])
      return (result as { affectedRows: number }).affectedRows
    },
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>
