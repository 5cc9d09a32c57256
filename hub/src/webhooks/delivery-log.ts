import type { PoolConnection, ResultSetHeader } from 'mysql2/promise'
import type { DeliveryPage, DeliveryQuery, DeliveryView, Replay } from '@wh/shared'
import type { Database } from '../db/connection.ts'
import { inTransaction, REQUEST_TRANSACTION_TIMEOUT_MS } from '../db/transaction.ts'
import { auditStatement } from '../stock/audit-log.ts'
import type { Packet } from '../db/typed-rows.ts'
import { HubError } from '../errors.ts'
import { messageBody, newMessageId } from './webhook-messages.ts'

/** Most messages one replay copies: a bigger range is asked for in parts. */
export const REPLAY_MAX = 10_000

type LogRow = Packet<Omit<DeliveryView, 'lastAttemptAt' | 'deliveredAt' | 'createdAt'>> & {
  lastAttemptAt: Date | null
  deliveredAt: Date | null
  createdAt: Date
  payload?: string
}

const SELECT = `SELECT id, msg_id AS msgId, type, seq, status, attempts, last_status AS lastStatus, last_error AS lastError,
  last_attempt_at AS lastAttemptAt, delivered_at AS deliveredAt, created_at AS createdAt`

const view = (r: LogRow): DeliveryView => ({
  id: Number(r.id),
  msgId: r.msgId,
  type: r.type,
  seq: r.seq === null ? null : Number(r.seq),
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.lastStatus,
  lastError: r.lastError,
  lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
})

/** Which already-tried messages a replay copies (pending ones are still to go anyway). */
function replayFilter(replay: Replay): { where: string; values: unknown[] } {
  const given = (Object.keys(replay) as (keyof Replay)[]).filter((k) => replay[k] !== undefined).sort()
  const shape = given.join(',')
  if (shape === 'status') {
    // A dead message already copied by an earlier replay is not copied again, unless its copy died too.
    return {
      where: `m.status = 'dead' AND NOT EXISTS (SELECT 1 FROM webhook_messages c
        WHERE c.subscription_id = m.subscription_id AND c.msg_id = m.msg_id AND c.id > m.id)`,
      values: [],
    }
  }
  if (shape !== 'fromSeq,toSeq' && shape !== 'fromId,toId')
    throw new HubError('VALIDATION_FAILED', 'give fromSeq and toSeq, or fromId and toId, or status "dead"', [
      { field: '/body', reason: `has ${shape || 'nothing'}; one of fromSeq+toSeq, fromId+toId, status` },
    ])
  const [from, to, field, column] =
    shape === 'fromSeq,toSeq' ? [replay.fromSeq!, replay.toSeq!, 'toSeq', 'seq'] : [replay.fromId!, replay.toId!, 'toId', 'id']
  if (from > to)
    throw new HubError('VALIDATION_FAILED', `${field} is before the start of the range`, [
      { field: `/body/${field}`, reason: 'must not be less than the start' },
    ])
  return { where: `m.status <> 'pending' AND m.${column} BETWEEN ? AND ?`, values: [from, to] }
}

/**
 * A subscription's delivery log (newest first, a page at a time), one message with its body,
 * and the messages an admin adds to it: a ping, and replays, which copy earlier messages to the
 * tail with their `webhook-id`, so a receiver that already has one can tell.
 */
export function createDeliveryLog(deps: { database: Database }) {
  const { pool } = deps.database
  const transaction = <T>(work: (conn: PoolConnection) => Promise<T>) => inTransaction(pool, work, 4, REQUEST_TRANSACTION_TIMEOUT_MS)

  /** Locks the subscription (so replays of it do not interleave) and refuses a deleted one. */
  async function lockLive(conn: PoolConnection, id: number) {
    const [[row]] = await conn.query<Packet<{ status: string }>[]>('SELECT status FROM webhook_subscriptions WHERE id = ? FOR UPDATE', [id])
    if (!row) throw new HubError('WEBHOOK_NOT_FOUND', String(id))
    if (row.status === 'deleted') throw new HubError('WEBHOOK_DELETED', String(id))
  }

  return {
    async list(subscriptionId: number, query: DeliveryQuery): Promise<DeliveryPage> {
      const [rows] = await pool.query<LogRow[]>(
        `${SELECT} FROM webhook_messages WHERE subscription_id = ?
          ${query.status ? 'AND status = ?' : ''} ${query.before ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
        [subscriptionId, ...(query.status ? [query.status] : []), ...(query.before ? [query.before] : []), query.limit + 1],
      )
      const items = rows.slice(0, query.limit).map(view)
      return { items, next: rows.length > query.limit ? items.at(-1)!.id : null }
    },

    async one(subscriptionId: number, messageId: number): Promise<DeliveryView & { body: unknown }> {
      const [[row]] = await pool.query<LogRow[]>(`${SELECT}, payload FROM webhook_messages WHERE id = ? AND subscription_id = ?`, [
        messageId,
        subscriptionId,
      ])
      if (!row) throw new HubError('NOT_FOUND', `no message ${messageId} of webhook ${subscriptionId}`)
      return { ...view(row), body: JSON.parse(row.payload!) }
    },

    /** A `webhook.ping` at the tail of the subscription's queue. */
    ping: (subscriptionId: number, actor: string) =>
      transaction(async (conn) => {
        await lockLive(conn, subscriptionId)
        const msgId = newMessageId()
        const [inserted] = await conn.query<ResultSetHeader>(
          'INSERT INTO webhook_messages (subscription_id, msg_id, type, payload) VALUES (?, ?, ?, ?)',
          [subscriptionId, msgId, 'webhook.ping', messageBody('webhook.ping', { subscriptionId })],
        )
        const audit = auditStatement([{ entity: 'webhook', entityId: String(subscriptionId), action: 'ping', actor, after: { msgId } }])
        await conn.query(audit.sql, audit.values)
        return { id: inserted.insertId, msgId }
      }),

    /** Copies the messages the replay names to the tail, in their order; answers how many. */
    replay: (subscriptionId: number, replay: Replay, actor: string) =>
      transaction(async (conn) => {
        const { where, values } = replayFilter(replay)
        await lockLive(conn, subscriptionId)
        const [[counted]] = await conn.query<Packet<{ n: number }>[]>(
          `SELECT COUNT(*) AS n FROM webhook_messages m WHERE m.subscription_id = ? AND ${where}`,
          [subscriptionId, ...values],
        )
        const n = Number(counted!.n)
        if (n > REPLAY_MAX) throw new HubError('REPLAY_TOO_LARGE', `the replay would copy ${n} messages`)
        if (n > 0) {
          await conn.query(
            `INSERT INTO webhook_messages (subscription_id, msg_id, type, seq, payload)
             SELECT m.subscription_id, m.msg_id, m.type, m.seq, m.payload FROM webhook_messages m
             WHERE m.subscription_id = ? AND ${where} ORDER BY m.id`,
            [subscriptionId, ...values],
          )
        }
        const audit = auditStatement([
          { entity: 'webhook', entityId: String(subscriptionId), action: 'replay', actor, after: { ...replay, replayed: n } },
        ])
        await conn.query(audit.sql, audit.values)
        return { replayed: n }
      }),
  }
}

export type DeliveryLog = ReturnType<typeof createDeliveryLog>
