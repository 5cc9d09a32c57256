import type { Outcome } from '../link/link.ts'
import { VERBS } from './outcome-list.tsx'
import { reasonText, STATUS_WORDS } from './outcome-words.ts'

/** The newest scan's answer in one sentence, for a screen reader (a polite live region). */
export function OutcomeAnnouncer({ latest }: { latest: Outcome | undefined }) {
  const text = latest
    ? [
        `${STATUS_WORDS[latest.status] ?? latest.status}: ${VERBS[latest.type] ?? latest.type} ${latest.qty ?? ''} ${latest.sku ?? latest.barcode}.`,
        reasonText(latest.code, latest.message),
        latest.onHand !== undefined ? `On hand ${latest.onHand}.` : '',
      ]
        .filter(Boolean)
        .join(' ')
    : ''
  return (
    <p class="visually-hidden" role="status" data-testid="announcer">
      {text}
    </p>
  )
}
