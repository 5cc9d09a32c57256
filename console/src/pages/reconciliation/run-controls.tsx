import { useState } from 'preact/hooks'
import type { ReconcileScope, Run } from '@wh/shared'
import { api } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { runTitle } from './run-words.ts'
import { problemText } from '../../action.ts'

/**
 * Starts a run of the chosen scope: for real, or dry (finds and reports, corrects nothing). The
 * hub queues it and a worker runs it; the list below shows it as it goes.
 */
export function RunControls() {
  const [scope, setScope] = useState<ReconcileScope>('full')
  const [busy, setBusy] = useState(false)
  const [queued, setQueued] = useState('')
  const [error, setError] = useState('')

  async function start(dryRun: boolean) {
    setBusy(true)
    setError('')
    setQueued('')
    try {
      const { run } = await api<{ run: Run }>('POST', '/api/reconciliation/runs', { scope, dryRun })
      setQueued(`${runTitle(run)} queued.`)
    } catch (err) {
      setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="run-controls" onSubmit={(e) => e.preventDefault()}>
      <label>
        Scope
        <select value={scope} onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value as ReconcileScope)}>
          <option value="full">Full: every product</option>
          <option value="incremental">Incremental: what changed since the last run</option>
        </select>
      </label>
      <div role="group">
        <button type="button" disabled={busy} onClick={() => void start(false)}>
          Run now
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void start(true)}>
          Dry run
        </button>
      </div>
      <p role="status">{queued}</p>
      <ProblemNote error={error} />
    </form>
  )
}
