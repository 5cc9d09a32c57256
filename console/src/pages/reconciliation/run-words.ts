import type { Finding, Run } from '@wh/shared'

/** What each check compares, in words: the copy first, its source of truth second. */
export const CHECK_WORDS: Record<Finding['check'], string> = {
  ledger: 'On hand against the ledger',
  reserved: 'Reserved against active orders',
  lots: 'Lots against on hand',
  cache: 'Live cache against the database',
}

export const OUTCOME_WORDS: Record<Finding['outcome'], string> = {
  corrected: 'Corrected',
  'dry-run': 'Would be corrected',
  'needs-admin': 'Needs an admin',
  resolved: 'Gone when checked again',
}

/** Who started a run (the API's requests come from the console or a program with a key). */
const TRIGGER_WORDS: Record<string, string> = { schedule: 'scheduled', api: 'requested', cli: 'from the command line' }
export const triggerWords = (trigger: string) => TRIGGER_WORDS[trigger] ?? trigger

const SCOPE_WORDS: Record<Run['scope'], string> = { full: 'Full', incremental: 'Incremental' }

/** A run in a few words: `Full dry run, done` / `Incremental run, running`. */
export const runTitle = (run: Run) => `${SCOPE_WORDS[run.scope]} ${run.dryRun ? 'dry run' : 'run'} ${run.id}`

/** How long a run took, as people say it. */
export function duration(ms: number | null): string {
  if (ms === null) return '—'
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
