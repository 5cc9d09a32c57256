import { setTimeout as sleep } from 'node:timers/promises'
import type { Statement } from '../db/statements.ts'
import type { BatchPlan } from './batch-plan.ts'

/**
 * Fault points for the fault suite (HUB_FAULT_POINT; never set in production). Each returns the
 * hook to call at its place in a drain, or undefined when the point is not the chosen one.
 */
export type FaultPoint = 'after-commit' | 'before-commit' | 'block-loop' | 'hold-before-commit'

/**
 * How long `block-loop` holds the event loop: past the drain job's lock (10 s) and the next
 * stalled check (5 s), so another worker re-runs the job while this one still holds it.
 */
export const BLOCK_LOOP_MS = 20_000

/** The process kills itself there, as a crash would. */
export function crashAt(point: FaultPoint | undefined, here: 'after-commit' | 'before-commit') {
  return point === here ? () => process.kill(process.pid, 'SIGKILL') : undefined
}

/**
 * After its first commit the worker stops answering anything (a long GC pause, a CPU-bound bug),
 * then goes on as if nothing happened: the at-least-once re-run of BullMQ (docs/reliability.md) must
 * then be harmless. Once per process, so the worker lives on to finish its own run.
 */
export function blockLoopAt(point: FaultPoint | undefined) {
  if (point !== 'block-loop') return undefined
  let blocked = false
  return () => {
    if (blocked) return
    blocked = true
    const until = Date.now() + BLOCK_LOOP_MS
    while (Date.now() < until) {
      // busy on purpose: timers, sockets and BullMQ's lock renewal all wait
    }
  }
}

/**
 * How long `hold-before-commit` keeps each batch's transaction open with its writes sent: a batch
 * otherwise commits within a round trip of its writes, too quickly for a test to kill its
 * connection in between.
 */
export const HOLD_BEFORE_COMMIT_MS = 150

/** Every batch waits there, uncommitted, so a test can kill the database connection mid-transaction. */
export function holdAt(point: FaultPoint | undefined) {
  return point === 'hold-before-commit' ? () => sleep(HOLD_BEFORE_COMMIT_MS) : undefined
}

/** Fails with SQLSTATE 22003 (numeric value out of range), an error no retry cures, as a column's range would. */
const OUT_OF_RANGE: Statement = { sql: "SIGNAL SQLSTATE '22003' SET MESSAGE_TEXT = 'HUB_FAULT_POISON: out of range'" }

/**
 * `HUB_FAULT_POISON` (an eventId or a SKU): a statement sent after the writes of every plan (a
 * batch's, a trial's or an approval's) that would apply such an event, which fails it for good,
 * as a range or constraint the planner did not foresee would.
 */
export function poisonAt(target: string | undefined) {
  if (!target) return undefined
  return (plan: Pick<BatchPlan, 'movements'>): Statement[] =>
    plan.movements.some((m) => m.eventId === target || m.item.sku === target) ? [OUT_OF_RANGE] : []
}
