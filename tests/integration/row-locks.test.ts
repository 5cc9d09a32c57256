import { randomUUID } from 'node:crypto'
import mysql, { type RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { connectDatabase } from '../../hub/src/db/connection.ts'
import { createBatchApplier, type BatchApplier } from '../../hub/src/apply/batch-apply.ts'
import { lockSiteLevels } from '../../hub/src/stock/stock-locks.ts'
import type { QueuedEvent } from '../../hub/src/partition/queued-event.ts'
import { seedFixture } from '../helpers/fixtures.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const env = createTestEnv('row-locks')
let pool: mysql.Pool
let repository: BatchApplier
/** Another partition's batch, holding its rows between its read and its commit. */
let other: mysql.Connection
let products: number[] = []
let location = 0

const scan = (type: ScanEvent['type'], productId: number, orderId?: string): QueuedEvent => ({
  event: { eventId: randomUUID(), deviceId: 'D-1', deviceSeq: 1, type, barcode: `P-${productId}`, location: 'L-1', orderId },
  site: 'site1',
  hash: randomUUID(),
  productId,
  sku: `P-${productId}`,
  locationId: location,
  locationCode: 'L-1',
  qty: 1,
})

/**
 * Gives `table` the statistics of a young table, the state a bench run met in `lots`: InnoDB had
 * counted the rows added since its last count but not yet the distinct ids among them, so a scan
 * of the whole primary key in id order looked cheaper than the index ranges plus a sort, and a
 * locking read on that plan waits for every row another transaction holds. Made deterministic
 * here through MariaDB's engine-independent statistics, which only this test's pool reads.
 */
async function youngStatistics(table: string) {
  const [[row]] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`)
  const n = Number(row!.n)
  await pool.query('REPLACE INTO mysql.table_stats (db_name, table_name, cardinality) VALUES (DATABASE(), ?, ?)', [table, n])
  await pool.query(
    `REPLACE INTO mysql.index_stats (db_name, table_name, index_name, prefix_arity, avg_frequency) VALUES (DATABASE(), ?, 'PRIMARY', 1, ?)`,
    [table, n],
  )
  await pool.query(`FLUSH TABLES ${table}`)
}

async function whileOtherHolds<T>(lock: string, params: unknown[], work: () => Promise<T>): Promise<T> {
  await other.query('BEGIN')
  try {
    await other.query(lock, params)
    return await work()
  } finally {
    await other.query('ROLLBACK')
  }
}

beforeAll(async () => {
  await seedFixture(env, { products: 40, locations: 1, devices: 1 })
  pool = connectDatabase(env.env.MYSQL_URL!, 2).pool
  pool.pool.on('connection', (conn) => {
    conn.query(`SET SESSION use_stat_tables = 'PREFERABLY', innodb_lock_wait_timeout = 2`)
  })
  repository = createBatchApplier(pool)
  products = (await pool.query<RowDataPacket[]>('SELECT id FROM products ORDER BY id'))[0].map((r) => r.id as number)
  location = (await pool.query<RowDataPacket[]>('SELECT id FROM locations'))[0][0]!.id as number
  other = await mysql.createConnection(env.env.MYSQL_URL!)
  // Every product in stock: each level gets its unnamed lot.
  await repository.applyBatch(products.flatMap((p) => [scan('receive', p), scan('receive', p)]))
})

afterAll(async () => {
  await other?.end()
  await pool?.query('DELETE FROM mysql.table_stats WHERE db_name = DATABASE()')
  await pool?.query('DELETE FROM mysql.index_stats WHERE db_name = DATABASE()')
  await pool?.end()
  await env.cleanup()
})

describe('writers lock the rows of their own products and no others', () => {
  it("applies receipts while another transaction holds another product's lot", async () => {
    await youngStatistics('lots')
    const receipts = products.slice(1, 6).map((p) => scan('receive', p))
    const { plan } = await whileOtherHolds('SELECT id FROM lots WHERE product_id = ? FOR UPDATE', [products[0]], () =>
      repository.applyBatch(receipts),
    )
    expect(plan.outcomes.map((o) => o.ack.status)).toEqual(receipts.map(() => 'applied'))
  })

  it("applies picks against orders while another transaction holds another order's reservation", async () => {
    // One order per product, each reserving one unit of it.
    const orders = products.slice(0, 6).map((productId) => ({ id: randomUUID(), productId }))
    for (const { id, productId } of orders) {
      await pool.query(
        `INSERT INTO orders (id, idempotency_key, request_hash, site, status, response_status, response_body)
         VALUES (?, ?, '', 'site1', 'pending', 201, '{}')`,
        [id, id],
      )
      await pool.query('INSERT INTO reservations (order_id, product_id, location_id, qty) VALUES (?, ?, ?, 1)', [id, productId, location])
      await pool.query('UPDATE stock_levels SET reserved = reserved + 1 WHERE product_id = ? AND location_id = ?', [productId, location])
    }
    await youngStatistics('reservations')
    const picks = orders.slice(1).map((o) => scan('pick', o.productId, o.id))
    const { plan } = await whileOtherHolds('SELECT id FROM reservations WHERE order_id = ? FOR UPDATE', [orders[0]!.id], () =>
      repository.applyBatch(picks),
    )
    expect(plan.outcomes.map((o) => o.ack.status)).toEqual(picks.map(() => 'applied'))
    expect(plan.consumed).toHaveLength(picks.length)
  })

  it("lets an order's locks hold up neither another order nor a scan of another product on the site", async () => {
    const [a, b] = products as [number, number]
    const order = await pool.getConnection()
    try {
      await order.query('BEGIN')
      expect((await lockSiteLevels(order, 'site1', [a])).map((l) => [l.sku, l.location])).toEqual([[`P-${a}`, 'L-1']])
      const another = await pool.getConnection()
      try {
        await another.query('BEGIN')
        expect((await lockSiteLevels(another, 'site1', [b])).map((l) => l.productId)).toEqual([b])
        await another.query('ROLLBACK')
      } finally {
        another.release()
      }
      const { plan } = await repository.applyBatch([scan('receive', b)])
      expect(plan.outcomes.map((o) => o.ack.status)).toEqual(['applied'])
      await order.query('ROLLBACK')
    } finally {
      order.release()
    }
  })
})
