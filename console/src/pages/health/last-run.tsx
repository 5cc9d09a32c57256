import type { Run } from '@wh/shared'
import { Time } from '../../components.tsx'
import { duration, runTitle } from '../reconciliation/run-words.ts'

/** The newest reconciliation run in a sentence, with a way to its findings. */
export function LastRun({ run }: { run: Run | null }) {
  if (!run) return <p class="empty">No reconciliation run yet.</p>
  return (
    <>
      <p>
        <strong>{runTitle(run)}</strong>, {run.status}, started <Time at={run.startedAt} />, took {duration(run.durationMs)}.
      </p>
      <p>
        {run.discrepancies} discrepancies found, {run.corrections} corrected, {run.summary?.needsAdmin ?? 0} left for an admin.
      </p>
      <a href="/console/reconciliation">See the runs and their findings</a>
    </>
  )
}
