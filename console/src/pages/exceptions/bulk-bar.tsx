import { useState } from 'preact/hooks'
import type { HeldDecisionResults } from '@wh/shared'
import { api, Problem } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { refusal } from './held-words.ts'

/** What became of one decision, as the page lists it. */
export interface Outcome {
  id: number
  text: string
  refused: boolean
}

/** A decision's outcome in words: the stock it left, or the hub's refusal. */
export function outcomeOf(result: HeldDecisionResults['results'][number]): Outcome {
  if (result.outcome === 'refused') {
    return { id: result.id, refused: true, text: `#${result.id} refused: ${refusal(result.problem.code, result.problem.detail)}` }
  }
  const { held, onHand, available } = result.decision
  const text = `#${held.id} ${held.status}: ${onHand} on hand, ${available} available at ${held.location}`
  return { id: held.id, refused: false, text }
}

/**
 * The selected held events, approved as they are or rejected together under one reason: one
 * request, each decided on its own, each outcome told.
 */
export function BulkBar({
  selected,
  shown,
  selectAll,
  done,
}: {
  selected: readonly number[]
  shown: number
  selectAll: (on: boolean) => void
  done: (outcomes: Outcome[]) => void
}) {
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  async function submit(event: SubmitEvent) {
    event.preventDefault()
    const action = (event.submitter as HTMLButtonElement | null)?.value === 'reject' ? 'reject' : 'approve'
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason'))
    setBusy(true)
    setError('')
    try {
      const decisions = selected.map((id) => ({ id, action, reason }))
      const { results } = await api<HeldDecisionResults>('POST', '/api/held-events/decisions', { decisions })
      done(results.map(outcomeOf))
    } catch (err) {
      setError(err instanceof Problem ? refusal(err.code, err.detail) : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="bulk-bar" onSubmit={submit} aria-label="Decide the selected">
      <label>
        <input type="checkbox" checked={shown > 0 && selected.length === shown} onChange={(e) => selectAll(e.currentTarget.checked)} />
        Select all shown
      </label>
      {selected.length > 0 && (
        <>
          <p>{selected.length} selected</p>
          <label>
            Reason for the selected
            <input name="reason" required maxLength={500} />
          </label>
          <ProblemNote error={error} />
          <div class="decision-buttons">
            <button type="submit" name="action" value="approve" aria-busy={busy} disabled={busy}>
              Approve selected as they are
            </button>
            <button type="submit" name="action" value="reject" class="contrast" disabled={busy}>
              Reject selected
            </button>
          </div>
        </>
      )}
    </form>
  )
}
