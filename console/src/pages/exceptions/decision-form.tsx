import { useState } from 'preact/hooks'
import type { ApproveHeld, HeldDecision, HeldEvent } from '@wh/shared'
import { api, Problem } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { refusal } from './held-words.ts'

type Choice = 'as-is' | 'qty' | 'count' | 'without-po' | 'reject'

/** The ways to decide a held event; approving without the PO only for a receipt that names one. */
function choicesFor(held: HeldEvent): { value: Choice; label: string }[] {
  return [
    { value: 'as-is', label: 'Approve as it is' },
    { value: 'qty', label: 'Approve with another quantity' },
    { value: 'count', label: `Approve after a count of ${held.location}` },
    ...(held.type === 'receive' && held.poNumber ? [{ value: 'without-po' as const, label: 'Approve without the PO' }] : []),
    { value: 'reject', label: 'Reject' },
  ]
}

/** What an approval sends besides its reason, by the choice made. */
function approval(choice: Choice, figure: number): Omit<ApproveHeld, 'reason'> {
  if (choice === 'qty') return { qty: figure }
  if (choice === 'count') return { countedOnHand: figure }
  if (choice === 'without-po') return { withoutPo: true }
  return {}
}

/**
 * One held event's decision. A refusal (decided by someone else first, still short) stays in the
 * form in the hub's words, so the person can choose again.
 */
export function DecisionForm({ held, done, cancel }: { held: HeldEvent; done: (decision: HeldDecision) => void; cancel: () => void }) {
  const [choice, setChoice] = useState<Choice>('as-is')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  async function submit(event: SubmitEvent) {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const reason = String(form.get('reason'))
    const body = choice === 'reject' ? { reason } : { reason, ...approval(choice, Number(form.get('figure'))) }
    setBusy(true)
    setError('')
    try {
      done(await api<HeldDecision>('POST', `/api/held-events/${held.id}/${choice === 'reject' ? 'reject' : 'approve'}`, body))
    } catch (err) {
      setError(err instanceof Problem ? refusal(err.code, err.detail) : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="decision" onSubmit={submit} aria-label={`Decide #${held.id}`}>
      <fieldset>
        <legend>Decision</legend>
        {choicesFor(held).map((c) => (
          <label>
            <input type="radio" name="choice" value={c.value} checked={choice === c.value} onChange={() => setChoice(c.value)} />
            {c.label}
          </label>
        ))}
      </fieldset>
      {choice === 'qty' && (
        <label>
          Quantity
          <input name="figure" type="number" min={1} required defaultValue={String(held.qty)} />
        </label>
      )}
      {choice === 'count' && (
        <label>
          Counted on hand at {held.location}
          <input name="figure" type="number" min={0} required />
        </label>
      )}
      <label>
        Reason
        <input name="reason" required maxLength={500} placeholder={choice === 'reject' ? 'Why it must not count' : 'Why it may count'} />
      </label>
      <ProblemNote error={error} />
      <div class="decision-buttons">
        <button type="submit" aria-busy={busy} disabled={busy} class={choice === 'reject' ? 'contrast' : undefined}>
          {choice === 'reject' ? 'Reject' : 'Approve'}
        </button>
        <button type="button" class="secondary" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
