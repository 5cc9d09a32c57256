import { useEffect, useState } from 'preact/hooks'
import type { AuditEntryView, AuditFilter, AuditPage } from '@wh/shared'
import { api, query } from '../api.ts'
import { DataTable, Page, ProblemNote, Time } from '../components.tsx'
import { useLoad } from '../load.ts'
import { useSession } from '../session.tsx'
import { AuditFilterForm } from './audit/audit-filter.tsx'
import { FieldChanges } from './audit/field-changes.tsx'
import { problemText } from '../action.ts'

const PAGE_SIZE = 50

const COLUMNS = [
  { label: 'When', cell: (e: AuditEntryView) => <Time at={e.createdAt} /> },
  { label: 'Who', cell: (e: AuditEntryView) => e.actor },
  { label: 'Action', cell: (e: AuditEntryView) => e.action },
  {
    label: 'Entity',
    cell: (e: AuditEntryView) => (
      <>
        {e.entity} <code>{e.entityId}</code>
      </>
    ),
  },
  { label: 'Reason', cell: (e: AuditEntryView) => e.reason ?? '—' },
  { label: 'Change', cell: (e: AuditEntryView) => <FieldChanges before={e.before} after={e.after} /> },
]

/**
 * The audit log: who changed what and why, newest first, filtered by entity, action, actor and
 * time; older entries a page at a time, and the whole filter as a CSV file.
 */
export function Audit() {
  const { person } = useSession()
  const [applied, setApplied] = useState<AuditFilter>({})
  const key = JSON.stringify(applied)
  const first = useLoad(() => api<AuditPage>('GET', `/api/audit${query({ ...applied, limit: PAGE_SIZE })}`), [key])
  // Older pages, by the keyset cursor; a new filter starts over from its first page.
  const [older, setOlder] = useState<AuditPage | null>(null)
  const [error, setError] = useState('')
  useEffect(() => setOlder(null), [key])
  const rows = [...(first.data?.items ?? []), ...(older?.items ?? [])]
  const next = older ? older.next : first.data?.next

  async function more() {
    setError('')
    try {
      const page = await api<AuditPage>('GET', `/api/audit${query({ ...applied, limit: PAGE_SIZE, before: next })}`)
      setOlder({ items: [...(older?.items ?? []), ...page.items], next: page.next })
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <Page
      title="Audit log"
      actions={
        <a href={`/api/audit.csv${query(applied)}`} download="audit-log.csv">
          Download CSV
        </a>
      }
    >
      <AuditFilterForm applied={applied} me={person.username} apply={setApplied} />
      <ProblemNote error={first.error || error} />
      {first.data && (
        <DataTable
          caption="Audit log entries, newest first"
          rows={rows}
          columns={COLUMNS}
          rowKey={(e) => e.id}
          empty="No entry matches the filter."
        />
      )}
      {next && (
        <button type="button" class="secondary" onClick={() => void more()}>
          Older entries
        </button>
      )}
    </Page>
  )
}
