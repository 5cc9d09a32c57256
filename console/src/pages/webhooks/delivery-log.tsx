import { useState } from 'preact/hooks'
import { api, query } from '../../api.ts'
import { DataTable, ProblemNote, Time } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { useCursorPages } from '../../paging.tsx'
import { useEvery } from './every.ts'
import type { DeliveryPage, MessageStatus, WebhookDelivery } from './webhook-types.ts'
import { MESSAGE_WORDS, WEBHOOK_TOPICS } from './webhook-words.ts'

const PAGE_SIZE = 20

/** What the endpoint last answered: its HTTP status, or why no answer came. */
const lastAnswer = (m: WebhookDelivery) =>
  m.lastError ? (m.lastStatus ? `${m.lastStatus}: ${m.lastError}` : m.lastError) : m.lastStatus ? String(m.lastStatus) : '—'

/** A subscription's messages, newest first, by status, a page at a time: each one's attempts and last answer. */
export function DeliveryLog({ id }: { id: number }) {
  const [status, setStatus] = useState<MessageStatus | ''>('')
  const { after, reset, pageButtons } = useCursorPages()
  const log = useLoad(
    () => api<DeliveryPage>('GET', `/api/webhooks/${id}/deliveries${query({ status, before: after, limit: PAGE_SIZE })}`),
    [id, status, after],
    { topics: WEBHOOK_TOPICS },
  )
  // Only the first page changes as messages are sent; older pages stay as they were read.
  useEvery(log.reload, !after)

  return (
    <section aria-labelledby="delivery-log-heading">
      <h3 id="delivery-log-heading">Delivery log</h3>
      <form class="filter-bar" onSubmit={(e) => e.preventDefault()}>
        <label>
          Show
          <select
            value={status}
            onChange={(e) => {
              setStatus((e.currentTarget as HTMLSelectElement).value as MessageStatus | '')
              reset()
            }}
          >
            <option value="">Every message</option>
            {Object.entries(MESSAGE_WORDS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
      </form>
      <ProblemNote error={log.error} />
      {log.data && (
        <DataTable
          caption="Delivery log"
          rows={log.data.items}
          rowKey={(m) => m.id}
          empty={status ? `No ${MESSAGE_WORDS[status].toLowerCase()} messages.` : 'Nothing sent yet.'}
          columns={[
            { label: 'Message', cell: (m) => m.id, numeric: true },
            { label: 'Type', cell: (m) => m.type },
            { label: 'Seq', cell: (m) => m.seq ?? '—', numeric: true },
            { label: 'Status', cell: (m) => <span class={`message-status message-${m.status}`}>{MESSAGE_WORDS[m.status]}</span> },
            { label: 'Attempts', cell: (m) => m.attempts, numeric: true },
            { label: 'Last answer', cell: (m) => lastAnswer(m) },
            { label: 'Time', cell: (m) => <Time at={m.deliveredAt ?? m.lastAttemptAt ?? m.createdAt} /> },
          ]}
        />
      )}
      {pageButtons(log.data?.next?.toString())}
    </section>
  )
}
