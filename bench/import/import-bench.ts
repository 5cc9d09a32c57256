import mysql from 'mysql2/promise'
import { createClient } from 'redis'
import { gs1CheckDigit } from '@wh/shared'
import { pino } from 'pino'
import type { ImportFile } from '../../hub/src/import/import-check.ts'
import { openImportWorker } from '../../hub/src/cli/import-runner.ts'
import { createReconciler } from '../../hub/src/reconcile/reconciler.ts'

/** The scenario's own database and Redis prefix, made afresh each run: an import into an empty warehouse. */
const DATABASE = 'wh_bench_import'
const PREFIX = 'bench-imp'
export const PRODUCTS = 100_000
/** Locations each product has opening stock at: PRODUCTS × this = 1,000,000 rows. */
const PER_PRODUCT = 10
const LOCATIONS = 100
/** Every this-many-th row is in a named lot with an expiry (the rest in the unnamed lot). */
const LOT_EVERY = 10

export interface ImportBenchResult {
  products: number
  stockRows: number
  /** Seconds: reading and checking every file; the catalog's transaction; queueing the stock; until the last row is applied. */
  checkS: number
  catalogS: number
  totalS: number
  rowsPerS: number
  reconcileS: number
  discrepancies: number
}

const line = (...cells: (string | number)[]) => cells.join(',')

/** The files of a warehouse with PRODUCTS products, each with a unit GTIN, at PER_PRODUCT of LOCATIONS locations. */
function warehouseFiles(): ImportFile[] {
  const sku = (i: number) => `B-${String(i).padStart(6, '0')}`
  const loc = (k: number) => `R-${String(k).padStart(3, '0')}`
  const rows = (header: string, n: number, row: (i: number) => string) => {
    const out = [header]
    for (let i = 1; i <= n; i++) out.push(row(i))
    return Buffer.from(`${out.join('\n')}\n`)
  }
  const gtin = (i: number) => {
    const body = `0950${String(i).padStart(9, '0')}`
    return `${body}${gs1CheckDigit(body)}`
  }
  return [
    { kind: 'sites', data: rows('code,name', 1, () => 'bench,Bench warehouse') },
    { kind: 'locations', data: rows('site,code,zone', LOCATIONS, (k) => line('bench', loc(k), 'rack')) },
    { kind: 'products', data: rows('sku,name,unit,reorder_threshold', PRODUCTS, (i) => line(sku(i), `Product ${i}`, 'ea', i % 20)) },
    { kind: 'gtins', data: rows('sku,gtin,qty', PRODUCTS, (i) => line(sku(i), gtin(i), 1)) },
    {
      kind: 'stock',
      data: rows('site,location,sku,qty,lot,expiry', PRODUCTS * PER_PRODUCT, (n) => {
        const i = Math.ceil(n / PER_PRODUCT)
        const k = (i + (n % PER_PRODUCT) * 10) % LOCATIONS
        const lot = n % LOT_EVERY === 0 ? [`L${n}`, '2027-06-30'] : ['', '']
        return line('bench', loc(k + 1), sku(i), 1 + (n % 50), ...lot)
      }),
    },
  ]
}

/**
 * Imports 100,000 products (with their GTINs) and 1,000,000 opening stock rows into an empty
 * database, through the import service and its own drains as `npm run import` runs them, then a
 * full reconciliation that must find the books balanced.
 */
export async function importStage(urls: { mysql: string; redis: string }, partitions: number): Promise<ImportBenchResult> {
  await removeScenario(urls)
  const { app, service } = await openImportWorker({
    MYSQL_URL: `${urls.mysql}/${DATABASE}`,
    REDIS_URL: urls.redis,
    REDIS_PREFIX: PREFIX,
    MQTT_TOPIC_ROOT: PREFIX,
    PARTITIONS: partitions,
    MIGRATE_ON_START: true,
    LOG_LEVEL: 'error',
  })
  try {
    const files = warehouseFiles()
    const started = performance.now()
    const { problems } = await service.dryRun(files)
    if (problems.length > 0) throw new Error(`import bench: ${problems.length} problems, first ${JSON.stringify(problems[0])}`)
    const checked = performance.now()
    const reports = await service.apply(files, { actor: 'bench' })
    const queued = performance.now()
    const stock = reports.find((r) => r.kind === 'stock')!
    await service.waitApplied(stock.id, undefined, 100)
    const done = performance.now()
    const { database, redis: live, liveCache, stock: publisher, config } = app.services
    const log = pino({ level: 'error' })
    const { runner } = createReconciler({
      database,
      redis: live,
      cache: liveCache,
      stock: publisher,
      prefix: PREFIX,
      chunk: config.RECONCILE_CHUNK,
      log,
    })
    const run = await runner.run({ scope: 'full', dryRun: true, trigger: 'cli' })
    const reconciled = performance.now()
    const s = (ms: number) => Math.round(ms / 100) / 10
    return {
      products: PRODUCTS,
      stockRows: stock.rows,
      checkS: s(checked - started),
      catalogS: s(queued - checked),
      totalS: s(done - checked),
      rowsPerS: Math.round(((PRODUCTS * 2 + stock.rows) * 1000) / (done - checked)),
      reconcileS: s(reconciled - done),
      discrepancies: run.discrepancies,
    }
  } finally {
    await app.close()
    await removeScenario(urls)
  }
}

/** The scenario's database and Redis keys: made afresh for each run, and not left behind (a million rows). */
async function removeScenario(urls: { mysql: string; redis: string }) {
  const admin = await mysql.createConnection(urls.mysql)
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`)
  await admin.end()
  const redis = createClient({ url: urls.redis })
  await redis.connect()
  for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 1000 })) if (keys.length > 0) await redis.unlink(keys)
  await redis.close()
}
