import type { LiveClient } from '@wh/shared/live'
import { checkInvariants, formatReport } from '../../../hub/src/invariants/check-invariants.ts'
import { countEvents } from '../harness/fault-log.ts'
import type { FaultStack } from '../harness/fault-stack.ts'
import type { WorkloadRun } from '../workload/workload-run.ts'
import { screensConverge } from './screens.ts'
import { verifyWorkload } from './workload-check.ts'

export interface CheckOptions {
  /** The suite item, for the run's counts (0: a test of the checker itself, not counted). */
  item: number
  /** A workload to hold to I4 and the reference model (it has been settled by the caller). */
  run?: WorkloadRun
  /** Screens to hold to I5. */
  screens?: LiveClient[]
  /** How long the cache and the queues get to catch up with the database. @defaultValue 5000 */
  settleMs?: number
}

/**
 * I1-I7 after a fault test, as one list of violations (empty when all hold): the deployment's
 * own (I1, I2, I3 ledger side, I6, I7, the same module `npm run check-invariants` runs), then the
 * workload's (I3 against the device acks, I4, the reference model), then the screens' (I5).
 * Records the acked and lost counts for the run's summary.
 */
export async function checkAll(stack: Pick<FaultStack, 'inspect' | 'env'>, options: CheckOptions): Promise<string[]> {
  const { inspect, env } = stack
  const report = await checkInvariants(
    { pool: inspect.pool, redis: inspect.redis, cache: inspect.cache, prefix: env.env.REDIS_PREFIX! },
    options.settleMs ?? 5000,
  )
  const violations = report.violations.map((v) => `${v.invariant} ${v.detail}`)
  if (!report.ok) console.error(formatReport(report))
  if (options.run) {
    const verdict = await verifyWorkload(options.run, inspect)
    if (options.item > 0) countEvents(options.item, verdict.acked, verdict.lost)
    violations.push(...verdict.violations.slice(0, 50))
  }
  if (options.screens) violations.push(...(await screensConverge(options.screens, inspect)))
  return violations
}
