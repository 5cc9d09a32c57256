import { useState } from 'preact/hooks'
import type { Movement, VoidResult } from '@wh/shared'
import { api } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { signed } from './format.ts'
import { problemText } from '../../action.ts'

/**
 * Voids one movement with a reason. The hub writes the compensating movements and refuses, in its
 * own words, a movement already voided or whose stock is gone; the page reloads from the change.
 */
export function VoidForm({ movement: m, done }: { movement: Movement; done: () => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')

  async function submit(event: Event) {
    event.preventDefault()
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim()
    setBusy(true)
    setError('')
    try {
      await api<VoidResult>('POST', `/api/movements/${m.id}/void`, { reason })
      done()
    } catch (err) {
      setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  const what = `Void movement ${m.id}`
  return (
    <form onSubmit={submit} aria-label={what} class="void-form">
      <p>
        <strong>{what}</strong>: {m.type} {signed(m.qtyDelta)} at {m.location}
        {m.type === 'move' ? ' (both legs of the move)' : ''}.
      </p>
      <label>
        Reason for the void
        <input name="reason" required maxLength={500} autoFocus />
      </label>
      <ProblemNote error={error} />
      <div role="group">
        <button type="submit" aria-busy={busy} disabled={busy}>
          Void it
        </button>
        <button type="button" class="secondary" onClick={done}>
          Cancel
        </button>
      </div>
    </form>
  )
}
