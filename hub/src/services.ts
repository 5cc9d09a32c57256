import type { Config } from './config.ts'
import { connectDatabase, ensureDatabase, type Database } from './db/connection.ts'
import { runMigrations } from './db/migrate.ts'
import { resolveHubKey } from './devices/hub-key.ts'
import { createSecretBox, type SecretBox } from './devices/secret-box.ts'
import { createLocationFacts } from './catalog/location-facts.ts'
import { createFloorFeed, type FloorFeed } from './live/floor-feed.ts'
import { createFloorState, type FloorState } from './live/floor-state.ts'
import { createLiveCache, type LiveCache } from './live/live-cache.ts'
import type { Log } from './log.ts'
import { connectRedis, type Redis } from './redis/redis-client.ts'
import { createStockPublisher, type StockPublisher } from './stock/stock-publisher.ts'

/** What a process that only reads and writes the database needs (the key and device CLIs). */
export interface DatabaseServices {
  config: Config
  database: Database
  /** Seals and opens device signing secrets with the hub's key (HUB_SECRET_KEY). */
  secretBox: SecretBox
  /** HUB_SECRET_KEY is unset: secrets are sealed with the public development key. */
  developmentKey: boolean
  close(): Promise<void>
}

/** The services every hub process and admin CLI shares, built once from the configuration. */
export interface Services extends DatabaseServices {
  redis: Redis
  liveCache: LiveCache
  floorFeed: FloorFeed
  floorState: FloorState
  /** The stock core's after-commit publisher: every stock change goes out through it. */
  stock: StockPublisher
}

export interface ServiceOptions {
  /** Connections the pool opens at most (default MYSQL_POOL_SIZE). */
  poolSize?: number
  /** Create the database and apply migrations first (default MIGRATE_ON_START). */
  migrate?: boolean
}

export async function openDatabaseServices(config: Config, options: ServiceOptions = {}): Promise<DatabaseServices> {
  const migrate = options.migrate ?? config.MIGRATE_ON_START
  if (migrate) await ensureDatabase(config.MYSQL_URL)
  const database = connectDatabase(config.MYSQL_URL, options.poolSize ?? config.MYSQL_POOL_SIZE)
  if (migrate) await runMigrations(database, config.MYSQL_URL)
  const { key, development } = resolveHubKey(config.HUB_SECRET_KEY)
  return { config, database, secretBox: createSecretBox(key), developmentKey: development, close: () => database.pool.end() }
}

/**
 * Opens the database and Redis and builds on them the live cache, the floor feed and the stock
 * publisher. The HTTP app, the worker and the CLIs all start here; `close` ends them in reverse.
 */
export async function openServices(config: Config, log: Log, options: ServiceOptions = {}): Promise<Services> {
  const base = await openDatabaseServices(config, options)
  const redis = await connectRedis(config.REDIS_URL, log).catch(async (err) => {
    await base.close()
    throw err
  })
  const liveCache = createLiveCache(redis, config.REDIS_PREFIX, config.STREAM_MAXLEN)
  const floorFeed = createFloorFeed(redis, config.REDIS_PREFIX, log)
  return {
    ...base,
    redis,
    liveCache,
    floorFeed,
    floorState: createFloorState(base.database.db, redis, config.REDIS_PREFIX),
    stock: createStockPublisher({ cache: liveCache, feed: floorFeed, locations: createLocationFacts(base.database.db), log }),
    async close() {
      await floorFeed.close()
      if (redis.isOpen) await redis.close()
      await base.close()
    },
  }
}
