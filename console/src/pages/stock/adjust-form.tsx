import { useRef, useState } from 'preact/hooks'
import { v7 as uuidv7 } from 'uuid'
import type { Adjustment, AdjustmentRequest, LocationInfo } from '@wh/shared'
import { api, Problem } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { signed } from './format.ts'
import { problemText } from '../../action.ts'

/** What the hub made of an adjustment, in words. */
function told(a: Adjustment): string {
  switch (a.status) {
    case 'applied':
      return `Applied: ${a.sku} at ${a.location} ${signed(a.movement!.qtyDelta)}, now ${a.movement!.onHandAfter} on hand.`
    case 'held':
      return `Held for a decision (see Exceptions): ${a.held!.reason}`
    case 'rejected':
      return `It was held, then rejected: ${a.held!.reason}`
    case 'pending':
      return 'Queued, not applied yet. Send it again to see what became of it.'
  }
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim()

/**
 * A supervisor's office adjustment of the product at a location of the site, with a reason: set
 * the location's quantity (a count) or change it, through a lot if named. The hub applies it as a
 * scan and answers what became of it. The same adjustment sent again (after a lost answer, or
 * while queued) keeps its id, so it is never applied twice.
 */
export function AdjustForm({ site, sku }: { site: string; sku: string }) {
  const locations = useLoad(() => api<{ locations: LocationInfo[] }>('GET', `/api/sites/${encodeURIComponent(site)}/locations`), [site], {
    topics: ['sites'],
    site,
  })
  const last = useRef<{ id: string; body: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [outcome, setOutcome] = useState('')

  async function submit(event: Event) {
    event.preventDefault()
    const formElement = event.currentTarget as HTMLFormElement
    const form = new FormData(formElement)
    const fields = {
      site,
      sku,
      location: text(form, 'location'),
      kind: text(form, 'kind') as AdjustmentRequest['kind'],
      qty: Number(text(form, 'qty')),
      ...(text(form, 'lot') ? { lot: text(form, 'lot') } : {}),
      ...(text(form, 'expiry') ? { expiry: text(form, 'expiry') } : {}),
      reason: text(form, 'reason'),
    }
    const body = JSON.stringify(fields)
    if (last.current?.body !== body) last.current = { id: uuidv7(), body }
    setBusy(true)
    setError('')
    setOutcome('')
    try {
      const answer = await api<Adjustment>('POST', '/api/adjustments', { id: last.current.id, ...fields })
      setOutcome(told(answer))
      if (answer.status !== 'pending') {
        last.current = null
        formElement.reset()
      }
    } catch (err) {
      // A refusal is final; anything else (the connection, a hub briefly unable) may have queued
      // it: the same adjustment is then sent again under the same id, so it is applied once.
      if (err instanceof Problem && err.status < 500) last.current = null
      setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  const active = (locations.data?.locations ?? []).filter((l) => l.active)
  return (
    <form onSubmit={submit} aria-label={`Office adjustment of ${sku}`}>
      {/* Labelled by id, not wrapped: a wrapped select's chosen option would join the label's name. */}
      <label for="adjust-location">Location</label>
      <select id="adjust-location" name="location" required>
        {active.map((l) => (
          <option value={l.code}>{l.code}</option>
        ))}
      </select>
      <fieldset>
        <legend>Adjustment</legend>
        <label>
          <input type="radio" name="kind" value="set" defaultChecked />
          Set the location's quantity to
        </label>
        <label>
          <input type="radio" name="kind" value="change" />
          Change it by (negative takes away)
        </label>
      </fieldset>
      <label>
        Quantity
        <input name="qty" type="number" step="1" required />
      </label>
      <label>
        Lot (optional: the difference goes into or out of it)
        <input name="lot" maxLength={20} pattern="[\x21-\x7e]+" />
      </label>
      <label>
        Expiry of a new lot (optional)
        <input name="expiry" type="date" />
      </label>
      <label>
        Reason
        <input name="reason" required maxLength={200} />
      </label>
      <ProblemNote error={error || locations.error} />
      {outcome && <p role="status">{outcome}</p>}
      <button type="submit" aria-busy={busy} disabled={busy}>
        Adjust stock
      </button>
    </form>
  )
}
