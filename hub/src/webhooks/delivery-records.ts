import type { Pool, ResultSetHeader } from 'mysql2/promise'
import type { Packet } from '../db/typed-rows.ts'

/** What the worker reads of a message before it tries it: is it still owed, and is it its subscription's next? */
export interface MessageState {
  id: number
  subscriptionId: number
  status: string
  subscriptionStatus: string
  /** The subscription's lowest pending message id (null when none is pending). */
  head: number | null
}

/** What one attempt needs, read after the attempt was counted (so fan-out no longer merges into it). */
export interface Attempt {
  id: number
  subscriptionId: number
  msgId: string
  payload: string
  attempts: number
  url: string
  secretSealed: string
  createdAt: Date
  /** When the newest stock change the message carries was written (stock messages). */
  changedAt: Date | null
}

export interface AttemptResult {
  status: number | null
  error: string | null
}

/**
 * The delivery worker's reads and writes of `webhook_messages` and its subscription's failure
 * record. Each is one short statement on the pool: no lock is held while a request is in flight.
 */
export function createDeliveryRecords(pool: Pool) {
  return {
    /** The pending head message of each active subscription (or of one). */
    async heads(subscriptionId?: number): Promise<{ subscriptionId: number; head: number }[]> {
      const [rows] = await pool.query<Packet<{ subscriptionId: number; head: number }>[]>(
        `SELECT m.subscription_id AS subscriptionId, MIN(m.id) AS head
         FROM webhook_subscriptions s JOIN webhook_messages m ON m.subscription_id = s.id AND m.status = 'pending'
         WHERE s.status = 'active' ${subscriptionId === undefined ? '' : 'AND s.id = ?'}
         GROUP BY m.subscription_id`,
        subscriptionId === undefined ? [] : [subscriptionId],
      )
      return rows.map((r) => ({ subscriptionId: r.subscriptionId, head: Number(r.head) }))
    },

    async state(messageId: number): Promise<MessageState | undefined> {
      const [[row]] = await pool.query<Packet<MessageState>[]>(
        `SELECT m.id, m.subscription_id AS subscriptionId, m.status, s.status AS subscriptionStatus,
           (SELECT MIN(p.id) FROM webhook_messages p WHERE p.subscription_id = m.subscription_id AND p.status = 'pending') AS head
         FROM webhook_messages m JOIN webhook_subscriptions s ON s.id = m.subscription_id WHERE m.id = ?`,
        [messageId],
      )
      return row && { ...row, id: Number(row.id), head: row.head === null ? null : Number(row.head) }
    },

    /** Counts an attempt at a pending message and reads what sending it needs; undefined if it is no longer pending. */
    async begin(messageId: number): Promise<Attempt | undefined> {
      const [counted] = await pool.query<ResultSetHeader>(
        "UPDATE webhook_messages SET attempts = attempts + 1, last_attempt_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status = 'pending'",
        [messageId],
      )
      if (counted.affectedRows === 0) return undefined
      const [[row]] = await pool.query<Packet<Attempt>[]>(
        `SELECT m.id, m.subscription_id AS subscriptionId, m.msg_id AS msgId, m.payload, m.attempts, m.created_at AS createdAt,
           s.url, s.secret_sealed AS secretSealed, c.changed_at AS changedAt
         FROM webhook_messages m JOIN webhook_subscriptions s ON s.id = m.subscription_id
         LEFT JOIN stock_changes c ON c.seq = m.seq WHERE m.id = ?`,
        [messageId],
      )
      return row && { ...row, id: Number(row.id) }
    },

    /** A 2xx: the message is delivered and its subscription healthy again. */
    async delivered(attempt: Attempt, result: AttemptResult): Promise<void> {
      await pool.query(
        `UPDATE webhook_messages SET status = 'delivered', delivered_at = CURRENT_TIMESTAMP(3), last_status = ?, last_error = NULL WHERE id = ?;
         UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL`,
        [result.status, attempt.id, attempt.subscriptionId],
      )
    },

    /**
     * A failed attempt: the subscription failing since now unless it already was, and the attempt
     * recorded on the message. Answers whether the subscription has now failed for longer than
     * `pauseAfterMs` (it is to be paused): then the message stays pending, kept for the resume,
     * even after its last attempt; else that last attempt makes it dead. Answers the message's state.
     */
    async failed(
      attempt: Attempt,
      result: AttemptResult,
      lastAttempt: boolean,
      pauseAfterMs: number,
    ): Promise<'overdue' | 'dead' | 'retry'> {
      const [results] = await pool.query(
        `UPDATE webhook_subscriptions SET failing_since = COALESCE(failing_since, CURRENT_TIMESTAMP(3)) WHERE id = ?;
         SELECT status = 'active' AND failing_since < CURRENT_TIMESTAMP(3) - INTERVAL ? MICROSECOND AS overdue
         FROM webhook_subscriptions WHERE id = ?`,
        [attempt.subscriptionId, pauseAfterMs * 1000, attempt.subscriptionId],
      )
      const [row] = (results as unknown[])[1] as Packet<{ overdue: number }>[]
      const outcome = row?.overdue ? 'overdue' : lastAttempt ? 'dead' : 'retry'
      await pool.query(`UPDATE webhook_messages SET last_status = ?, last_error = ?, status = IF(?, 'dead', status) WHERE id = ?`, [
        result.status,
        result.error?.slice(0, 500) ?? null,
        outcome === 'dead',
        attempt.id,
      ])
      return outcome
    },
  }
}

export type DeliveryRecords = ReturnType<typeof createDeliveryRecords>
