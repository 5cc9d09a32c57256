import type { HeldDecision, HeldEvent } from '@wh/shared'
import { Time } from '../../components.tsx'
import { DecisionForm } from './decision-form.tsx'
import { eventLine, explain } from './held-words.ts'

export interface CardActions {
  selected: boolean
  select: (on: boolean) => void
  open: boolean
  setOpen: (open: boolean) => void
  decided: (decision: HeldDecision) => void
}

/** Who decided a decided event, when and why. */
const Decided = ({ held }: { held: HeldEvent }) => (
  <p class="held-decided">
    {held.status === 'approved' ? 'Approved' : 'Rejected'} by {held.decidedBy} <Time at={held.decidedAt} />: {held.decisionReason}
  </p>
)

/**
 * One held event: when, which device, what it was, why the hub held it in plain words (the hub's
 * own reason beside), the stock at its location now, and, for a supervisor, its actions. `stale`:
 * no longer in the list (decided elsewhere), shown as it was while its form is open.
 */
export function HeldCard({ held, stale, actions }: { held: HeldEvent; stale?: boolean; actions?: CardActions }) {
  const { onHand, available } = held.stockNow
  const headingId = `held-${held.id}`
  return (
    <li>
      <article class="held-card" aria-labelledby={headingId}>
        <h2 id={headingId}>
          #{held.id} · {eventLine(held)}
        </h2>
        <p class="held-meta">
          <Time at={held.createdAt} /> · {held.deviceId ? `device ${held.deviceId}` : 'an import'}
        </p>
        <p class="held-why">{explain(held)}</p>
        <p class="held-reason">
          <small>
            Hub: <code>{held.reasonCode}</code> {held.reason}
          </small>
        </p>
        <p>
          Stock now at {held.location}: <strong>{onHand}</strong> on hand, <strong>{available}</strong> available
        </p>
        {held.status !== 'pending' && <Decided held={held} />}
        {stale && <p class="problem">No longer waiting: it was decided elsewhere meanwhile.</p>}
        {actions && !actions.open && (
          <footer class="held-actions">
            <label>
              <input type="checkbox" checked={actions.selected} onChange={(e) => actions.select(e.currentTarget.checked)} />
              Select #{held.id}
            </label>
            <button type="button" onClick={() => actions.setOpen(true)}>
              Decide
            </button>
          </footer>
        )}
        {actions?.open && <DecisionForm held={held} done={actions.decided} cancel={() => actions.setOpen(false)} />}
      </article>
    </li>
  )
}
