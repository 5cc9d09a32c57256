import type { BenchEnvironment } from '../environment.ts'
import { BUYERS, CHECK_CONNECTIONS, CHECK_OFFERED, reservations, stockChecksClosed, stockChecksOpen } from './ordering-stage.ts'

/** Progress lines the ordering stages print per repetition. */
export const ORDERING_STEPS = 3

const num = (x: number) => x.toLocaleString('en-US')

/**
 * The ordering site's stages of one repetition, (g) closed and open loop and (h), each from a
 * load generator in its own process; prints each as a progress line and records its figures.
 */
export async function orderingSteps(
  env: BenchEnvironment,
  timing: { warmupS: number; measureS: number },
  rep: number,
  say: (what: string) => void,
  runs: Record<string, number[]>,
) {
  const note = (key: string, value: number) => (runs[key] ??= []).push(value)

  say(`ordering (g): stock checks of 5 lines, closed loop, ${CHECK_CONNECTIONS} connections (rep ${rep})`)
  const closed = await stockChecksClosed(env, timing, rep)
  note('checkRate', closed.requestsPerSecond)
  note('checkP50', closed.latencyMs.p50)
  note('checkP99', closed.latencyMs.p99)
  console.log(`${num(closed.requestsPerSecond)} checks/s, p50 ${closed.latencyMs.p50} ms, p99 ${closed.latencyMs.p99} ms`)

  say(`ordering (g): stock checks of 5 lines, open loop, ${num(CHECK_OFFERED)}/s offered (rep ${rep})`)
  const open = await stockChecksOpen(env, timing, rep)
  note('checkOpenRate', open.requestsPerSecond)
  note('checkOpenP50', open.latencyMs.p50)
  note('checkOpenP99', open.latencyMs.p99)
  console.log(
    `${num(open.requestsPerSecond)} checks/s answered of ${num(CHECK_OFFERED)} offered, p50 ${open.latencyMs.p50} ms, p99 ${open.latencyMs.p99} ms (from when each was due)`,
  )

  say(`ordering (h): reservations of 1-3 lines, ${BUYERS} buyers, closed loop (rep ${rep})`)
  const reserved = await reservations(env, timing, rep)
  const created = reserved.statuses['201'] ?? 0
  const short = reserved.statuses['409'] ?? 0
  note('reserveRate', reserved.requestsPerSecond)
  note('reserveCreatedRate', Math.round((created / Math.max(1, created + short)) * reserved.requestsPerSecond))
  note('reserveP50', reserved.latencyMs.p50)
  note('reserveP99', reserved.latencyMs.p99)
  console.log(
    `${num(reserved.requestsPerSecond)} reservations/s (201 ${num(created)}, 409 ${num(short)}), p50 ${reserved.latencyMs.p50} ms, p99 ${reserved.latencyMs.p99} ms; reserved grew by the 201s' ${num(reserved.unitsReserved)} units, none oversold`,
  )
}
