import type { Finding, Run } from '@wh/shared'
import { DataTable, Time } from '../../components.tsx'
import { CHECK_WORDS, duration, OUTCOME_WORDS, runTitle, triggerWords } from './run-words.ts'

const FINDING_COLUMNS = [
  { label: 'Check', cell: (f: Finding) => CHECK_WORDS[f.check] },
  { label: 'SKU', cell: (f: Finding) => f.sku },
  { label: 'Location', cell: (f: Finding) => f.location ?? '—' },
  { label: 'Found', cell: (f: Finding) => f.found, numeric: true },
  { label: 'Expected', cell: (f: Finding) => f.expected, numeric: true },
  { label: 'Outcome', cell: (f: Finding) => OUTCOME_WORDS[f.outcome] },
]

/** The counts of a run, whole (every site): what it checked, found and corrected. */
function RunFigures({ run }: { run: Run }) {
  const figures: [string, string | number][] = [
    ['Products checked', run.productsChecked],
    ['Stock levels checked', run.rowsChecked],
    ['Discrepancies', run.discrepancies],
    [run.dryRun ? 'Corrected (dry run: none)' : 'Corrected', run.corrections],
    ['Left for an admin', run.summary?.needsAdmin ?? 0],
    ['Took', duration(run.durationMs)],
  ]
  return (
    <dl class="figures">
      {figures.map(([term, value]) => (
        <div>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/**
 * One run: a summary line that opens onto its figures and the findings at `site` (the hub keeps a
 * run's first 50 findings; the counts cover them all, at every site).
 */
export function RunDetails({ run, site, open }: { run: Run; site: string; open: boolean }) {
  const found = run.summary?.found ?? []
  return (
    <details class="run" open={open}>
      <summary>
        <strong>{runTitle(run)}</strong> · <span class={`run-status ${run.status}`}>{run.status}</span> · <Time at={run.startedAt} /> ·{' '}
        {run.discrepancies} found, {run.corrections} corrected · {triggerWords(run.trigger)}
      </summary>
      <RunFigures run={run} />
      {run.error && <p class="problem">Failed: {run.error}</p>}
      {run.summary?.devices && (
        <p>
          Devices: {run.summary.devices.checked} checked, {run.summary.devices.withGaps} with gaps in their event numbers,{' '}
          {run.summary.devices.lastSeqMismatch} whose last number disagrees.
        </p>
      )}
      <DataTable
        caption={`Findings at ${site}`}
        rows={found}
        columns={FINDING_COLUMNS}
        rowKey={(f) => `${f.check}|${f.site}|${f.sku}|${f.location}`}
        empty={run.status === 'done' || run.status === 'failed' ? `Nothing found at ${site}.` : 'Not finished yet.'}
      />
    </details>
  )
}
