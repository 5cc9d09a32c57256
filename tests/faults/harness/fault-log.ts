import { appendFileSync } from 'node:fs'
import { inject } from 'vitest'

/** One line of the run's record; the global teardown adds them up into the summary. */
export type FaultRecord =
  | { kind: 'fault'; item: number; fault: string }
  | { kind: 'bad-inputs'; item: number; count: number }
  | { kind: 'events'; item: number; acked: number; lost: number }
  | { kind: 'burst'; item: number; ratePerSecond: number; seconds: number; held: boolean }

declare module 'vitest' {
  export interface ProvidedContext {
    /** The JSON-lines file this run's fault tests append their counts to (tests/faults/harness/global-setup.ts). */
    faultRunFile: string
  }
}

function runFile(): string | undefined {
  try {
    return inject('faultRunFile') || process.env.FAULT_RUN_FILE
  } catch {
    return process.env.FAULT_RUN_FILE // outside vitest (a script using the harness)
  }
}

/** What this process recorded, for a test that wants to assert on its own counts. */
export const recorded: FaultRecord[] = []

function record(entry: FaultRecord) {
  recorded.push(entry)
  const file = runFile()
  // Appends of one short line are atomic enough for files run one at a time.
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`)
}

/** Counts one fault injected on purpose (a kill, a cut, a wipe ...) for suite item `item`. */
export const countFault = (item: number, fault: string) => record({ kind: 'fault', item, fault })

/** Counts bad inputs tried (malformed payloads, hostile strings ...) for suite item `item`. */
export const countBadInputs = (item: number, count: number) => record({ kind: 'bad-inputs', item, count })

/** Events the devices saw acknowledged in a test, and how many of those the ledger lacks (must be 0). */
export const countEvents = (item: number, acked: number, lost: number) => record({ kind: 'events', item, acked, lost })

/** The burst a test held (item 27): rate and duration, and whether the backlog drained in time. */
export const countBurst = (item: number, ratePerSecond: number, seconds: number, held: boolean) =>
  record({ kind: 'burst', item, ratePerSecond, seconds, held })
