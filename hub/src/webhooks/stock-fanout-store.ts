import type { PoolConnection } from 'mysql2/promise'
import { syncState, webhookMessages, webhookSubscriptions } from '../db/schema/index.ts'
import { runStatements } from '../db/statements.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import { messageBody, newMessageId } from './webhook-messages.ts'
import { highestSeq, mergeItems, type StockItem } from './stock-fanout-items.ts'

/** The highest stock change seq fanned out to webhook messages. */
export const FANOUT_CURSOR = 'webhook_fanout_cursor'

/** A live subscription that hears stock, with its SKU filter (null: every SKU of its site). */
export interface StockSubscription {
  id: number
  site: string
  skus: Set<string> | null
}

/**
 * Locks the fan-out cursor's row for the transaction and reads it: whoever holds it is the one
 * writer of stock messages cluster-wide (the fan-out of every worker, and full syncs), so stock
 * messages are written in seq order.
 */
export async function lockFanoutCursor(conn: PoolConnection): Promise<number> {
  const read = async () => {
    const [[row]] = await conn.query<Row<typeof syncState, 'value'>[]>('SELECT value FROM sync_state WHERE name = ? FOR UPDATE', [
      FANOUT_CURSOR,
    ])
    return row
  }
  let row = await read()
  if (!row) {
    // First run: nothing was fanned out; seqs below the log's horizon are gone anyway.
    await conn.query('INSERT IGNORE INTO sync_state (name, value) VALUES (?, 0)', [FANOUT_CURSOR])
    row = await read()
  }
  return Number(row!.value)
}

export async function moveFanoutCursor(conn: PoolConnection, through: number): Promise<void> {
  await conn.query('UPDATE sync_state SET value = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE name = ?', [through, FANOUT_CURSOR])
}

/** The fan-out cursor outside a transaction (the prune job's limit). */
export async function readFanoutCursor(conn: Pick<PoolConnection, 'query'>): Promise<number> {
  const [rows] = await conn.query('SELECT value FROM sync_state WHERE name = ?', [FANOUT_CURSOR])
  return Number((rows as { value: number | string }[])[0]?.value ?? 0)
}

/** Subscriptions of these sites that hear stock and are not deleted (paused ones keep collecting). */
export async function stockSubscriptions(conn: PoolConnection, sites: readonly string[]): Promise<StockSubscription[]> {
  if (sites.length === 0) return []
  const [rows] = await conn.query<Row<typeof webhookSubscriptions, 'id' | 'site' | 'skus'>[]>(
    `SELECT ${columns(webhookSubscriptions, ['id', 'site', 'skus'])} FROM webhook_subscriptions
      WHERE site IN (?) AND status <> 'deleted' AND JSON_CONTAINS(events, '"stock"') ORDER BY id`,
    [sites],
  )
  return rows.map((r) => ({ id: r.id, site: r.site, skus: r.skus === null ? null : new Set(JSON.parse(r.skus) as string[]) }))
}

type PendingRow = Row<typeof webhookMessages, 'id' | 'type' | 'attempts' | 'payload'>

/**
 * Per subscription, the pending `stock.changed` message new items may be folded into: its newest
 * pending message if that was never attempted and is not its head. Only a head is handed to
 * delivery, so a message behind it is not being sent; the head's row is locked too, so delivery
 * cannot finish it and move on to this one before the fold commits.
 */
export async function foldTargets(conn: PoolConnection, subscriptionIds: readonly number[]): Promise<Map<number, PendingRow>> {
  const statements = subscriptionIds.flatMap((id) =>
    ['', ' DESC'].map((order) => ({
      sql: `SELECT ${columns(webhookMessages, ['id', 'type', 'attempts', 'payload'])} FROM webhook_messages
             WHERE subscription_id = ? AND status = 'pending' ORDER BY id${order} LIMIT 1 FOR UPDATE`,
      values: [id],
    })),
  )
  const results = (await runStatements(conn, statements)) as PendingRow[][]
  const targets = new Map<number, PendingRow>()
  subscriptionIds.forEach((id, i) => {
    const [head] = results[2 * i]!
    const [tail] = results[2 * i + 1]!
    if (head && tail && tail.id !== head.id && tail.type === 'stock.changed' && tail.attempts === 0) targets.set(id, tail)
  })
  return targets
}

/**
 * Folds items into a never-sent message: it takes a new `webhook-id`, since its content changed
 * (a replayed copy keeps its old id, and a receiver that saw that id would drop the new items).
 * False when the result would not fit one message.
 */
export async function foldInto(conn: PoolConnection, target: PendingRow, site: string, items: readonly StockItem[]): Promise<boolean> {
  const older = (JSON.parse(target.payload) as { data: { items: StockItem[] } }).data.items
  const merged = mergeItems(older, items)
  if (!merged) return false
  const seq = highestSeq(merged)
  const [result] = await conn.query(
    `UPDATE webhook_messages SET payload = ?, seq = ?, msg_id = ? WHERE id = ? AND status = 'pending' AND attempts = 0`,
    [messageBody('stock.changed', { site, seq, items: merged }), seq, newMessageId(), target.id],
  )
  return (result as { affectedRows: number }).affectedRows === 1
}

export interface NewMessage {
  subscriptionId: number
  type: 'stock.changed' | 'stock.synced'
  seq: number
  data: object
}

/** Messages per INSERT: up to 56 kB each, well inside the server's max_allowed_packet. */
const INSERT_BATCH = 50

/** Adds messages at their subscriptions' tails, in the order given. */
export async function insertMessages(conn: PoolConnection, messages: readonly NewMessage[]): Promise<void> {
  const at = new Date()
  for (let i = 0; i < messages.length; i += INSERT_BATCH)
    await conn.query('INSERT INTO webhook_messages (subscription_id, msg_id, type, seq, payload) VALUES ?', [
      messages.slice(i, i + INSERT_BATCH).map((m) => [m.subscriptionId, newMessageId(), m.type, m.seq, messageBody(m.type, m.data, at)]),
    ])
}
