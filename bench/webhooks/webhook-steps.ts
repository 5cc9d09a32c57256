import type { BenchEnvironment } from '../environment.ts'
import { CHANGES_PER_S, ENDPOINTS, keepsUp, webhookFanout } from './webhook-fanout.ts'

const num = (x: number) => x.toLocaleString('en-US')

/** The webhook fan-out stage of one repetition: one progress line, its figures recorded in `runs`. */
export async function webhookSteps(
  env: BenchEnvironment,
  timing: { warmupS: number; measureS: number },
  rep: number,
  say: (what: string) => void,
  runs: Record<string, number[]>,
  drive: (onScan: (sku: string, measuring: boolean) => void) => Promise<number>,
) {
  const note = (key: string, value: number) => (runs[key] ??= []).push(value)
  say(`webhooks: ${num(CHANGES_PER_S)} stock changes/s delivered to ${ENDPOINTS} endpoints (rep ${rep})`)
  const f = await webhookFanout(env, timing, drive)
  note('webhookChanges', f.changesPerSecond)
  note('webhookMessages', f.messagesPerSecond)
  note('webhookItems', f.itemsPerSecond)
  note('webhookLagP50', f.lagMs.p50)
  note('webhookLagP99', f.lagMs.p99)
  note('webhookBacklogGrowth', f.backlog.end - f.backlog.start)
  note('webhookCaughtUp', f.caughtUpS ?? -1)
  note('webhookKeepsUp', keepsUp(f) ? 1 : 0)
  console.log(
    `${num(f.changesPerSecond)} changes/s; delivered ${num(f.messagesPerSecond)} messages/s carrying ${num(f.itemsPerSecond)} SKU figures/s; ` +
      `scan -> endpoint p50 ${f.lagMs.p50} ms, p99 ${f.lagMs.p99} ms; pending messages ${f.backlog.start} -> ${f.backlog.end} (max ${f.backlog.max}); ` +
      (f.caughtUpS === null
        ? 'NOT caught up a minute after the last change'
        : `every endpoint had every change ${f.caughtUpS} s after the last`),
  )
}
