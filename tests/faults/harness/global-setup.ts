import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import type { FaultRecord } from './fault-log.ts'
import { PROFILE } from './profile.ts'

/** The targets docs/reliability.md sets for a full run. */
const TARGET = { faults: 30, badInputs: 1200 }

/** Adds a run's records up into the summary docs/reliability.md asks for. */
export function summarize(records: FaultRecord[]) {
  const faults = records.filter((r) => r.kind === 'fault')
  const badInputs = records.flatMap((r) => (r.kind === 'bad-inputs' ? [r.count] : [])).reduce((a, b) => a + b, 0)
  const events = records.filter((r) => r.kind === 'events')
  const bursts = records.filter((r) => r.kind === 'burst')
  const byFault: Record<string, number> = {}
  for (const f of faults) byFault[f.fault] = (byFault[f.fault] ?? 0) + 1
  return {
    profile: PROFILE,
    faultsInjected: faults.length,
    byFault,
    badInputsTried: badInputs,
    ackedEvents: events.reduce((a, e) => a + e.acked, 0),
    ackedEventsLost: events.reduce((a, e) => a + e.lost, 0),
    items: [...new Set(records.map((r) => r.item))].sort((a, b) => a - b),
    burst: bursts.at(-1) ?? null,
  }
}

export function formatSummary(s: ReturnType<typeof summarize>): string {
  const burst = s.burst
    ? `${s.burst.ratePerSecond.toLocaleString('en-US')} events/s for ${s.burst.seconds} s ${s.burst.held ? 'held' : 'NOT held'}`
    : 'not run'
  const vs = (n: number, target: number) => (s.profile === 'full' ? ` (target ${target}: ${n >= target ? 'met' : 'NOT met'})` : '')
  return [
    `fault suite (${s.profile} profile, items ${s.items.join(', ') || 'none'}):`,
    `  faults injected: ${s.faultsInjected}${vs(s.faultsInjected, TARGET.faults)} ${JSON.stringify(s.byFault)}`,
    `  bad inputs tried: ${s.badInputsTried}${vs(s.badInputsTried, TARGET.badInputs)}`,
    `  acknowledged events: ${s.ackedEvents}, lost: ${s.ackedEventsLost}`,
    `  burst: ${burst}`,
  ].join('\n')
}

/**
 * The faults project's global setup: a fresh record file for the run, provided to every test
 * file, and on teardown the summary, printed and written as JSON beside the record
 * (FAULT_SUMMARY_FILE names another place).
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'wh-fault-run-'))
  const file = join(dir, 'records.jsonl')
  writeFileSync(file, '')
  project.provide('faultRunFile', file)
  return () => {
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean)
    const summary = summarize(lines.map((l) => JSON.parse(l) as FaultRecord))
    const out = process.env.FAULT_SUMMARY_FILE ?? join(tmpdir(), 'wh-fault-summary.json')
    writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`)
    console.log(`\n${formatSummary(summary)}\n  summary JSON: ${out}\n`)
    rmSync(dir, { recursive: true, force: true })
  }
}
