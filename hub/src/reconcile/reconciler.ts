import type { Database } from '../db/connection.ts'
import type { LiveCache } from '../live/live-cache.ts'
import { sites } from '../db/schema/index.ts'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import type { StockPublisher } from '../stock/stock-publisher.ts'
import { createCacheCheck } from './cache-check.ts'
import { createDirtySet } from './dirty-set.ts'
import { createReconcileRunner, type RunnerDeps } from './reconcile-runner.ts'
import { createRunLock } from './run-lock.ts'
import { createRunStore } from './run-store.ts'

/** Connections a run uses at most: a slice's five reads ahead, four corrections, the device report. */
export const RUN_CONNECTIONS = 10

export interface ReconcilerDeps {
  database: Database
  redis: Redis
  cache: LiveCache
  /** Corrections and runs go out through the stock core's publisher. */
  stock: Pick<StockPublisher, 'levels' | 'reconciliation'>
  prefix: string
  chunk: number
  log: Log
  /** See RunnerDeps.onRunChange (the hub tells its consoles; the CLI tells nobody). */
  onRunChange?: () => void
  metrics?: RunnerDeps['metrics']
}

/** Reconciliation's parts wired together, for the hub's plugin and the CLI alike. */
export function createReconciler(deps: ReconcilerDeps) {
  const { database, redis, cache, prefix, log } = deps
  const store = createRunStore(database.db)
  const dirty = createDirtySet(redis, cache.keys.dirty)
  const runner = createReconcileRunner({
    pool: database.pool,
    stock: deps.stock,
    cacheCheck: createCacheCheck(database.pool, redis, cache),
    dirty,
    store,
    lock: createRunLock(redis, `${prefix}:reconcile:lock`),
    // Every site's screens hear of the run (with zeros where it checked nothing of theirs), so
    // each shows when reconciliation last ran. Informational: the run stands if they cannot be told.
    async announce(run, bySite) {
      const known = await database.db
        .select({ code: sites.code })
        .from(sites)
        .catch((err: Error) => void log.warn({ err: err.message }, 'reconciliation run not shown on the floor'))
      await deps.stock.reconciliation(
        (known ?? []).map(({ code }) => ({ ...run, site: code, ...(bySite.get(code) ?? { checked: 0, discrepancies: 0, corrected: 0 }) })),
      )
    },
    log,
    chunk: deps.chunk,
    onRunChange: deps.onRunChange,
    metrics: deps.metrics,
  })
  return { store, dirty, runner }
}

export type Reconciler = ReturnType<typeof createReconciler>
