import type { Outcome } from '../link/link.ts'
import { reasonText, STATUS_WORDS } from './outcome-words.ts'

export const VERBS: Record<string, string> = { receive: 'Received', move: 'Moved', pick: 'Picked', count: 'Counted', adjust: 'Adjusted' }
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })

/** Where a scan happened, and where it moved the stock to. */
const where = (o: Outcome) => (o.toLocation ? `${o.location} → ${o.toLocation}` : o.location)

/** One scan's outcome: what it was, the hub's answer, and the stock there after it. */
function OutcomeItem({ outcome: o }: { outcome: Outcome }) {
  const reason = o.status === 'held' || o.status === 'rejected' ? reasonText(o.code, o.message) : ''
  return (
    <li data-event-id={o.eventId} data-status={o.status} class={`outcome ${o.status}`}>
      <p class="outcome-head">
        <strong class="outcome-status">{STATUS_WORDS[o.status] ?? o.status}</strong>{' '}
        <span>
          {VERBS[o.type] ?? o.type} {o.qty ?? ''} {o.sku ?? o.barcode}
        </span>
      </p>
      <p class="outcome-where">
        {where(o)} · <time dateTime={new Date(o.at).toISOString()}>{time.format(o.at)}</time>
      </p>
      {reason && <p class="outcome-reason">{reason}</p>}
      {o.onHand !== undefined && (
        <p class="outcome-stock">
          On hand <strong data-testid="on-hand">{o.onHand}</strong> · Available{' '}
          <strong data-testid="available">{o.available ?? '—'}</strong>
        </p>
      )}
    </li>
  )
}

/** The last outcomes, newest first (the newest is announced by OutcomeAnnouncer, not the whole list). */
export function OutcomeList({ outcomes }: { outcomes: readonly Outcome[] }) {
  return (
    <section class="outcomes" aria-labelledby="outcomes-title">
      <h2 id="outcomes-title">Last scans</h2>
      {outcomes.length === 0 && <p class="empty">No scans yet.</p>}
      <ol id="outcomes">
        {outcomes.map((o) => (
          <OutcomeItem key={o.eventId} outcome={o} />
        ))}
      </ol>
    </section>
  )
}
