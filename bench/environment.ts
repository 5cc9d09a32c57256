import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import mysql, { type RowDataPacket } from 'mysql2/promise'
import { createClient } from 'redis'
import { seedFixture, SITE } from '../tests/helpers/fixtures.ts'
import { startHubProcess, type HubProcess } from '../tests/helpers/hub-process.ts'
import { openInspector } from '../tests/helpers/inspect.ts'
import { freePort } from '../tests/helpers/free-port.ts'
import { startPrivateMosquitto } from '../tests/helpers/private-mosquitto.ts'
import { createTestEnv, type TestEnv } from '../tests/helpers/test-env.ts'
import { cpuMeter, pidListeningOn } from './load/cpu-meter.ts'
import type { LoadOptions, LoadResult } from './load/load-generator.ts'

export const PRODUCTS = 1000
export const DEVICES_PER_RUN = 50

/**
 * What a bench run needs, all on this machine and all its own: a Mosquitto with the production
 * setting that matters for latency (`set_tcp_nodelay`), a database and Redis prefix for the hub,
 * another database for the ceilings, and a catalog of 1,000 products.
 */
export async function openBenchEnvironment(runs: number) {
  const broker = await startPrivateMosquitto()
  const hubEnv = createTestEnv('bench')
  const ceilingEnv = createTestEnv('benchceil')
  const fixture = await seedFixture(hubEnv, { products: PRODUCTS, locations: 10, devices: DEVICES_PER_RUN * runs })
  const ceilingFixture = await seedFixture(ceilingEnv, { products: PRODUCTS, locations: 10, devices: 0 })
  const ceilingDb = await mysql.createConnection(ceilingEnv.env.MYSQL_URL!)
  await ceilingDb.query('INSERT INTO stock_levels (product_id, location_id) SELECT p.id, l.id FROM products p CROSS JOIN locations l')
  const ids = async (table: string, column: string) =>
    new Map(
      (await ceilingDb.query<RowDataPacket[]>(`SELECT id, ${column} AS k FROM ${table}`))[0].map((r) => [r.k as string, r.id as number]),
    )
  const ceiling = {
    env: ceilingEnv,
    fixture: ceilingFixture,
    products: await ids('products', 'sku'),
    locations: await ids('locations', 'code'),
  }
  await ceilingDb.end()
  const inspect = await openInspector(hubEnv)
  let hubs: HubProcess[] = []
  let closing: Promise<void> | undefined
  let apiPort = 0

  return {
    broker,
    hubEnv,
    fixture,
    ceiling,
    inspect,
    site: SITE,
    /** The devices of run `n`, so every run starts each device's sequence afresh. */
    devicesOfRun: (n: number) => fixture.devices.slice(n * DEVICES_PER_RUN, (n + 1) * DEVICES_PER_RUN),
    /** The hub as deployed: ingest/API and workers in separate processes, so both cores can work. */
    async startHub(partitions: number) {
      // The ordering stages send ~thousands of requests a second on one key: a limit far above
      // them, so they are measured with the limiter's Redis round trip but never throttled.
      // Orders outlive the run (no expiry releasing stock while (h) checks what it reserved).
      const common = { MQTT_URL: broker.url, PARTITIONS: partitions, RATE_LIMIT_MAX: 100_000_000, ORDER_TTL_SECONDS: 86_400 }
      apiPort = await freePort()
      hubs = [
        await startHubProcess(hubEnv, 'server', { ...common, HUB_ROLES: 'api,ingest', HTTP_PORT: apiPort }),
        await startHubProcess(hubEnv, 'worker', common),
      ]
    },
    /** Meters the CPU of every process an event passes through, this one (the load generator) included. */
    cpuMeter: () =>
      cpuMeter({
        'load generator': process.pid,
        broker: pidListeningOn(broker.port),
        'hub ingest + API': hubs[0]?.child.pid,
        'hub worker': hubs[1]?.child.pid,
        MariaDB: pidListeningOn(Number(new URL(hubEnv.env.MYSQL_URL!).port || 3306)),
        Redis: pidListeningOn(Number(new URL(hubEnv.urls.redis).port || 6379)),
      }),
    /** The floor-screen socket of the hub's API process. */
    liveUrl: () => `ws://127.0.0.1:${apiPort}/live?site=${SITE}`,
    httpUrl: () => `http://127.0.0.1:${apiPort}`,
    /**
     * One more hub instance that only serves the API and floor screens, as a deployment adds for
     * many screens: its socket address, its resident memory in MB, and how to stop it.
     */
    async startScreenHub(partitions: number) {
      const port = await freePort()
      const hub = await startHubProcess(hubEnv, 'server', {
        MQTT_URL: broker.url,
        PARTITIONS: partitions,
        HUB_ROLES: 'api',
        HTTP_PORT: port,
      })
      hubs.push(hub)
      return {
        liveUrl: `ws://127.0.0.1:${port}/live?site=${SITE}`,
        rssMb: () => Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${hub.child.pid}/status`, 'utf8'))![1]) / 1024),
        stop: async () => {
          await hub.stop()
          hubs = hubs.filter((h) => h !== hub)
        },
      }
    },
    /** Removes everything the bench made; safe to call again (Ctrl-C and the normal end can race). */
    close() {
      closing ??= (async () => {
        await Promise.all(hubs.map((h) => h.stop()))
        await inspect.close()
        await broker.close()
        await hubEnv.cleanup()
        await ceilingEnv.cleanup()
      })()
      return closing
    },
  }
}

export type BenchEnvironment = Awaited<ReturnType<typeof openBenchEnvironment>>

/** The machine, and the database settings the figures depend on: durability, buffer pool and redo log. */
export async function machineInfo(env: TestEnv) {
  const db = await mysql.createConnection(env.env.MYSQL_URL!)
  const [[row]] = await db.query<RowDataPacket[]>(
    `SELECT VERSION() AS version, @@innodb_flush_log_at_trx_commit AS flushLogAtTrxCommit, @@sync_binlog AS syncBinlog, @@log_bin AS logBin,
       @@innodb_buffer_pool_size DIV 1048576 AS bufferPoolMiB, @@innodb_log_file_size DIV 1048576 AS redoLogMiB`,
  )
  await db.end()
  const redis = createClient({ url: env.urls.redis })
  await redis.connect()
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1]
  await redis.close()
  let mosquitto = 'unknown'
  try {
    execFileSync('mosquitto', ['-h'], { encoding: 'utf8' })
  } catch (err) {
    // `mosquitto -h` prints its version and exits 3.
    mosquitto = /mosquitto version (\S+)/.exec(String((err as { stdout?: string }).stdout))?.[1] ?? mosquitto
  }
  return {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    mysql: row,
    redis: redisVersion,
    mosquitto,
  }
}

/** Fails the bench loudly when a scenario left the books inconsistent or an event unanswered. */
/** The load generator's options against this environment for one run's devices, before the run's own. */
export function loadOptions(env: BenchEnvironment, devices: string[], timing: { warmupS: number; measureS: number }): LoadOptions {
  return {
    brokerUrl: env.broker.url,
    topicRoot: env.hubEnv.env.MQTT_TOPIC_ROOT!,
    site: env.site,
    devices,
    skus: env.fixture.skus,
    locations: env.fixture.locations,
    warmupS: timing.warmupS,
    measureS: timing.measureS,
  }
}

export async function verify(env: BenchEnvironment, name: string, result: LoadResult, devices: string[]) {
  const problems = await env.inspect.inconsistencies()
  const [[row]] = (await env.inspect.db.query('SELECT COUNT(DISTINCT event_id) AS n FROM stock_movements WHERE device_id IN (?)', [
    devices,
  ])) as unknown as [[{ n: number }]]
  if (result.settled !== result.scanned) problems.push(`${result.scanned - result.settled} events never acked`)
  if (result.statuses.applied !== result.scanned) problems.push(`statuses ${JSON.stringify(result.statuses)}`)
  if (row.n !== result.scanned) problems.push(`ledger has ${row.n} events for ${result.scanned} scanned`)
  if (problems.length > 0) throw new Error(`${name}: the books do not balance:\n  ${problems.slice(0, 10).join('\n  ')}`)
}

/** Ctrl-C (or a crash in a timer) still removes what the bench made: hub processes, its broker, its databases and keys. */
export function closeOnExit(env: BenchEnvironment) {
  // Ctrl-C may reach this process more than once (the terminal, then npm relaying it): close once.
  let closing: Promise<void> | undefined
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void (closing ??= env.close().finally(() => process.exit(130))))
  process.on('uncaughtException', (err) => {
    console.error(err)
    void (closing ??= env.close().finally(() => process.exit(1)))
  })
}
