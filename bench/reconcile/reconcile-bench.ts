import type { Pool, RowDataPacket } from 'mysql2/promise'
import { pino } from 'pino'
import { createClient } from 'redis'
import { loadConfig } from '../../hub/src/config.ts'
import { connectDatabase } from '../../hub/src/db/connection.ts'
import { createLiveCache } from '../../hub/src/live/live-cache.ts'
import { createReconciler, RUN_CONNECTIONS } from '../../hub/src/reconcile/reconciler.ts'
import { createStockPublisher } from '../../hub/src/stock/stock-publisher.ts'
import { createLocationFacts } from '../../hub/src/catalog/location-facts.ts'
import { BENCH_SITE, SHAPE, seedCache, seedDatabase, skuOf } from './reconcile-seed.ts'

type Redis = ReturnType<typeof createClient>

/** The scenario's own database and Redis prefix, kept between bench runs so the seeding is paid once. */
const DATABASE = 'wh_bench_reconcile'
const PREFIX = 'bench-rec'
/** Products an incremental run finds touched. */
export const TOUCHED = 1000

export interface ReconcileBenchResult {
  /** Seconds the data set took to seed; 0 when a seeded one was reused. */
  seedS: number
  fullS: number[]
  incrementalMs: number[]
  levels: number
  ledgerRows: number
}

/**
 * One drift of each kind a run corrects, behind the hub's back, on five of `ids`: on_hand edited,
 * a lot edited and reserved edited (at the given locations), a cache field changed (with a
 * version above the database's) and a cache hash deleted. Returns how many discrepancies a run
 * must find.
 */
async function injectDrift(pool: Pool, redis: Redis, ids: number[], locations: [number, number, number]) {
  const [a, b, c, d, e] = ids as [number, number, number, number, number]
  await pool.query('UPDATE stock_levels SET on_hand = on_hand + 1 WHERE product_id = ? AND location_id = ?', [a, locations[0]])
  await pool.query(`UPDATE lots SET qty = qty - 1 WHERE product_id = ? AND location_id = ? AND lot_code = ''`, [b, locations[1]])
  await pool.query('UPDATE stock_levels SET reserved = reserved + 1 WHERE product_id = ? AND location_id = ?', [c, locations[2]])
  await redis.hSet(`${PREFIX}:inv:${skuOf(d)}`, 'l:R-05', '1:0:999')
  await redis.del(`${PREFIX}:inv:${skuOf(e)}`)
  return 5
}

/**
 * 1,000 products changed as the hub changes them: a unit received at their first location (a
 * ledger row, the level and its unnamed lot in one transaction), then published to the cache,
 * which marks them for the incremental run.
 */
async function touch(pool: Pool, cache: ReturnType<typeof createLiveCache>, first: number, last: number) {
  const conn = await pool.getConnection()
  try {
    await conn.beginTransaction()
    await conn.query(
      `INSERT INTO stock_movements (event_id, leg, type, product_id, location_id, qty_delta, on_hand_after, triggered_by, reason)
       SELECT UUID(), 0, 'receive', seq, 1, 1, 0, 'seed', 'bench touch' FROM seq_${first}_to_${last}`,
    )
    await conn.query(
      'UPDATE stock_levels SET on_hand = on_hand + 1, version = version + 1, updated_at = CURRENT_TIMESTAMP(3) WHERE product_id BETWEEN ? AND ? AND location_id = 1',
      [first, last],
    )
    await conn.query(`UPDATE lots SET qty = qty + 1 WHERE product_id BETWEEN ? AND ? AND location_id = 1 AND lot_code = ''`, [first, last])
    await conn.commit()
  } finally {
    conn.release()
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT product_id, on_hand, reserved, version FROM stock_levels WHERE product_id BETWEEN ? AND ? AND location_id = 1',
    [first, last],
  )
  await cache.publish(
    rows.map((r) => ({
      site: BENCH_SITE,
      sku: skuOf(r.product_id),
      states: [{ location: 'R-01', onHand: r.on_hand, reserved: r.reserved, version: Number(r.version), reservable: true }],
    })),
  )
}

const pick = (n: number, from: number, to: number) => {
  const out = new Set<number>()
  while (out.size < n) out.add(from + Math.floor(Math.random() * (to - from + 1)))
  return [...out]
}

/**
 * Reconciliation over 1,000,000 stock levels and 10,000,000 ledger rows: full runs (drift injected
 * anywhere) and incremental runs over 1,000 touched products (drift among them). Every run must
 * find and correct exactly the injected drift, else the bench fails.
 */
export async function benchReconciliation(options: { mysqlBaseUrl: string; redisUrl: string; fullReps: number; incrementalReps: number }) {
  const url = `${options.mysqlBaseUrl}/${DATABASE}`
  const seedS = await seedDatabase(url)
  const redis = createClient({ url: options.redisUrl })
  await redis.connect()
  const database = connectDatabase(url, RUN_CONNECTIONS)
  try {
    await seedCache(url, redis, PREFIX)
    const cache = createLiveCache(redis, PREFIX, 1000)
    const log = pino({ level: 'error' })
    // No floor screens watch the bench.
    const feed = { publish: async () => undefined, activity: () => undefined, reconciliation: async () => undefined }
    const { runner, dirty } = createReconciler({
      database,
      redis,
      cache,
      stock: createStockPublisher({ cache, feed, locations: createLocationFacts(database.db), log }),
      prefix: PREFIX,
      chunk: loadConfig({}).RECONCILE_CHUNK,
      log,
    })
    // Whatever a bench run that died left behind is corrected first, off the clock.
    await dirty.take()
    await dirty.done()
    await runner.run({ scope: 'full', dryRun: false, trigger: 'cli' })

    const check = (what: string, run: { discrepancies: number; corrections: number }, expected: number) => {
      if (run.discrepancies !== expected || run.corrections !== expected)
        throw new Error(`${what}: found ${run.discrepancies} and corrected ${run.corrections} of ${expected} injected discrepancies`)
    }
    const result: ReconcileBenchResult = { seedS, fullS: [], incrementalMs: [], levels: 0, ledgerRows: 0 }
    for (let rep = 0; rep < options.fullReps; rep++) {
      const expected =
        (await injectDrift(database.pool, redis, pick(5, 1, SHAPE.products), [2, 3, 4])) +
        (await injectDrift(database.pool, redis, pick(5, 1, SHAPE.products), [2, 3, 4]))
      const started = performance.now()
      const run = await runner.run({ scope: 'full', dryRun: false, trigger: 'cli' })
      result.fullS.push(Math.round((performance.now() - started) / 10) / 100)
      check('full run', run, expected)
      result.levels = run.rowsChecked
    }
    for (let rep = 0; rep < options.incrementalReps; rep++) {
      const first = 1 + Math.floor(Math.random() * (SHAPE.products - TOUCHED))
      await touch(database.pool, cache, first, first + TOUCHED - 1)
      // The incremental run checks the levels that changed (location 1 here): the drift is on those.
      const expected = await injectDrift(database.pool, redis, pick(5, first, first + TOUCHED - 1), [1, 1, 1])
      const started = performance.now()
      const run = await runner.run({ scope: 'incremental', dryRun: false, trigger: 'cli' })
      result.incrementalMs.push(Math.round(performance.now() - started))
      check('incremental run', run, expected)
      if (run.productsChecked !== TOUCHED) throw new Error(`incremental run: checked ${run.productsChecked} of ${TOUCHED} touched products`)
    }
    result.ledgerRows = SHAPE.products * SHAPE.locations * SHAPE.movementsPerLevel
    return result
  } finally {
    await database.pool.end()
    await redis.close()
  }
}

/**
 * The bench stage: seeds (or reuses) the data set with a progress line, then measures. Returns its
 * figures' samples under the keys `summarizeReconciliation` reads.
 */
export async function reconcileStage(urls: { mysql: string; redis: string }, reps: number) {
  const result = await benchReconciliation({ mysqlBaseUrl: urls.mysql, redisUrl: urls.redis, fullReps: reps, incrementalReps: 5 * reps })
  return {
    result,
    runs: {
      reconcileFull: result.fullS,
      reconcileIncremental: result.incrementalMs,
      ...(result.seedS > 0 ? { reconcileSeed: [result.seedS] } : {}),
    },
  }
}
