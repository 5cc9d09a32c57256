import mysql, { type RowDataPacket } from 'mysql2/promise'
import type { createClient } from 'redis'
import { connectDatabase, ensureDatabase } from '../../hub/src/db/connection.ts'
import { runMigrations } from '../../hub/src/db/migrate.ts'

type Redis = ReturnType<typeof createClient>

/** The data set of the reconciliation scenario: 100,000 products x 10 locations, 10 ledger rows each. */
export const SHAPE = { products: 100_000, locations: 10, movementsPerLevel: 10 }
/** Products whose first location carries one reserved unit (an active reservation of one order). */
const RESERVED_PRODUCTS = 2000
const STEP = 2000
const MARKER = `reconcile-v1:${SHAPE.products}x${SHAPE.locations}x${SHAPE.movementsPerLevel}`

/** The bench's one site. */
export const BENCH_SITE = 'bench'
export const skuOf = (id: number) => `B${String(id).padStart(6, '0')}`

const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`
const progress = (line: string) => (process.stdout.isTTY ? process.stdout.write(`\r  ${line}\x1b[K`) : undefined)

async function migrate(url: string) {
  const database = connectDatabase(url, 1)
  await runMigrations(database, url)
  await database.pool.end()
}

/** Whether the database holds a complete data set of this shape (a marker row written last). */
async function seeded(url: string): Promise<boolean> {
  const conn = await mysql.createConnection(url).catch(() => undefined)
  if (!conn) return false
  try {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT v FROM bench_seed WHERE k = ?', ['shape'])
    return rows[0]?.v === MARKER
  } catch {
    return false
  } finally {
    await conn.end()
  }
}

/**
 * Seeds the scenario's database set-based (MariaDB's SEQUENCE engine makes the rows), one step of
 * products at a time so the progress line moves and no transaction grows large: the ledger, the
 * stock levels summed from it, one unnamed lot per level holding all of it, and a reserved unit
 * on the first products. Reused while its marker row matches, since 10 million ledger rows take
 * minutes. Returns the seconds seeding took, or 0 when the data set was reused.
 */
export async function seedDatabase(url: string): Promise<number> {
  // A data set seeded before a newer migration gets it on reuse.
  if (await seeded(url)) return migrate(url).then(() => 0)
  const started = performance.now()
  const target = new URL(url)
  const name = target.pathname.slice(1)
  target.pathname = '/'
  const admin = await mysql.createConnection(target.toString())
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
  await admin.end()
  await ensureDatabase(url)
  await migrate(url)

  const conn = await mysql.createConnection(url)
  try {
    await conn.query('SET SESSION unique_checks = 0, foreign_key_checks = 0')
    await conn.query(`CREATE TABLE bench_seed (k VARCHAR(32) PRIMARY KEY, v VARCHAR(200) NOT NULL)`)
    await conn.query(
      `INSERT INTO locations (id, site, code) SELECT seq, '${BENCH_SITE}', CONCAT('R-', LPAD(seq, 2, '0')) FROM seq_1_to_${SHAPE.locations}`,
    )
    await conn.query(`INSERT INTO devices (id, site) SELECT CONCAT('BENCH-', seq), '${BENCH_SITE}' FROM seq_1_to_4`)
    const { products, locations: locs, movementsPerLevel: per } = SHAPE
    for (let from = 1; from <= products; from += STEP) {
      const to = Math.min(products, from + STEP - 1)
      await conn.query(
        `INSERT INTO products (id, sku, name) SELECT seq, CONCAT('B', LPAD(seq, 6, '0')), CONCAT('Bench product ', seq) FROM seq_${from}_to_${to}`,
      )
      await conn.query(
        `INSERT INTO stock_movements (event_id, leg, type, product_id, location_id, qty_delta, on_hand_after, triggered_by, reason)
         SELECT CONCAT('b', p.seq, '-', l.seq, '-', k.seq), 0, 'receive', p.seq, l.seq, 1 + (p.seq + l.seq + k.seq) % 5, 0, 'seed', 'bench'
         FROM seq_${from}_to_${to} p JOIN seq_1_to_${locs} l JOIN seq_1_to_${per} k`,
      )
      await conn.query(
        `INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version)
         SELECT product_id, location_id, SUM(qty_delta), 0, 1 FROM stock_movements WHERE product_id BETWEEN ? AND ? GROUP BY product_id, location_id`,
        [from, to],
      )
      await conn.query(
        `INSERT INTO lots (product_id, location_id, lot_code, qty) SELECT product_id, location_id, '', on_hand FROM stock_levels WHERE product_id BETWEEN ? AND ?`,
        [from, to],
      )
      progress(
        `seeding: ${to.toLocaleString('en-US')}/${products.toLocaleString('en-US')} products, ${(to * locs * per).toLocaleString('en-US')} ledger rows, ${elapsed(started)}`,
      )
    }
    await conn.query(
      `INSERT INTO orders (id, idempotency_key, request_hash, site, status, response_status, response_body)
       VALUES ('00000000-0000-4000-8000-000000000001', 'bench-reconcile', REPEAT('0', 64), 'bench', 'pending', 201, '{}')`,
    )
    await conn.query(
      `INSERT INTO reservations (order_id, product_id, location_id, qty)
       SELECT '00000000-0000-4000-8000-000000000001', seq, 1, 1 FROM seq_1_to_${RESERVED_PRODUCTS}`,
    )
    await conn.query(`UPDATE stock_levels SET reserved = 1 WHERE product_id <= ${RESERVED_PRODUCTS} AND location_id = 1`)
    await conn.query('ANALYZE TABLE stock_movements, stock_levels, lots, reservations')
    await conn.query('INSERT INTO bench_seed (k, v) VALUES (?, ?)', ['shape', MARKER])
  } finally {
    await conn.end()
  }
  if (process.stdout.isTTY) process.stdout.write('\n')
  return Math.round((performance.now() - started) / 100) / 10
}

/** Loads every stock level into the live cache unless it already holds them all (Redis may have been flushed). */
export async function seedCache(url: string, redis: Redis, prefix: string): Promise<void> {
  if ((await redis.sCard(`${prefix}:inv-skus:${BENCH_SITE}`)) === SHAPE.products) return
  const conn = await mysql.createConnection(url)
  try {
    for (let from = 1; from <= SHAPE.products; from += STEP) {
      const [rows] = await conn.query<RowDataPacket[]>(
        `SELECT s.product_id, l.code, s.on_hand, s.reserved, s.version, l.reservable FROM stock_levels s JOIN locations l ON l.id = s.location_id
         WHERE s.product_id BETWEEN ? AND ?`,
        [from, from + STEP - 1],
      )
      const byProduct = new Map<number, Record<string, string>>()
      for (const r of rows) {
        const fields = byProduct.get(r.product_id) ?? {}
        fields[`l:${r.code}`] = `${r.on_hand}:${r.reserved}:${r.version}:${r.reservable ? 1 : 0}`
        byProduct.set(r.product_id, fields)
      }
      const multi = redis.multi()
      for (const [id, fields] of byProduct) multi.hSet(`${prefix}:inv:${BENCH_SITE}:${skuOf(id)}`, fields)
      multi.sAdd(`${prefix}:inv-skus:${BENCH_SITE}`, [...byProduct.keys()].map(skuOf))
      multi.sAdd(`${prefix}:inv-sites`, BENCH_SITE)
      await multi.execAsPipeline()
    }
  } finally {
    await conn.end()
  }
}
