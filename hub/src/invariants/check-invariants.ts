import { setTimeout as sleep } from 'node:timers/promises'
import type { Pool } from 'mysql2/promise'
import type { LiveCache } from '../live/live-cache.ts'
import type { Redis } from '../redis/redis-client.ts'
import { checkCache } from './cache-check.ts'
import { checkQueues, type FailedJob } from './queue-checks.ts'
import { checkStore } from './store-checks.ts'
import { INVARIANT_NAMES, type InvariantId, type Violation } from './violation.ts'

export interface InvariantDeps {
  pool: Pool
  redis: Redis
  cache: Pick<LiveCache, 'snapshot' | 'sites'>
  prefix: string
}

export interface InvariantReport {
  ok: boolean
  violations: Violation[]
  failedJobs: FailedJob[]
  /** How many rounds it took to see the state settle (or the last round when it never did). */
  rounds: number
}

/** One look at everything. */
async function look(deps: InvariantDeps) {
  const store = await checkStore(deps.pool)
  const cache = await checkCache(deps.cache, store.levels)
  const queues = await checkQueues(deps.redis, deps.prefix)
  return { violations: [...store.violations, ...cache, ...queues.violations], failed: queues.failed }
}

/**
 * Checks I1, I2, I3 (ledger side), I6 and I7 against a deployment. The cache and the queues trail
 * the commits by design (they are written after it), so a violation must persist for `settleMs`
 * to count; the database's own checks see one snapshot and would not change by waiting, but a
 * live deployment is looked at again anyway, as a whole.
 */
export async function checkInvariants(deps: InvariantDeps, settleMs = 2000): Promise<InvariantReport> {
  const deadline = Date.now() + settleMs
  for (let rounds = 1; ; rounds++) {
    const { violations, failed } = await look(deps)
    if (violations.length === 0 || Date.now() >= deadline) return { ok: violations.length === 0, violations, failedJobs: failed, rounds }
    await sleep(Math.min(250, Math.max(0, deadline - Date.now())))
  }
}

/** The report as an operator reads it: each invariant with ok or its violations, then failed jobs. */
export function formatReport(report: InvariantReport): string {
  const lines: string[] = []
  for (const id of Object.keys(INVARIANT_NAMES) as InvariantId[]) {
    const mine = report.violations.filter((v) => v.invariant === id)
    lines.push(`${mine.length === 0 ? 'ok  ' : 'FAIL'} ${id} ${INVARIANT_NAMES[id]}${mine.length ? ` (${mine.length})` : ''}`)
    for (const v of mine) lines.push(`       ${v.detail}`)
  }
  lines.push(`failed jobs: ${report.failedJobs.length}`)
  for (const j of report.failedJobs) lines.push(`       ${j.queue} #${j.id} ${j.name} after ${j.attempts} attempts: ${j.reason}`)
  lines.push(report.ok ? 'all invariants hold' : `${report.violations.length} violations`)
  return lines.join('\n')
}
