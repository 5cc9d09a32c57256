import { useState } from 'preact/hooks'
import { api, query } from '../../api.ts'
import { useAction } from '../../action.ts'
import { DataTable, ProblemNote, Time } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { useEvery } from './every.ts'
import type { SyncRun } from './webhook-types.ts'
import { REASON_WORDS, WEBHOOK_TOPICS } from './webhook-words.ts'

/**
 * The site's full syncs, newest first: why each ran (the catalog changed, the 12-hour fallback,
 * asked for), or that it was skipped as nothing had changed, and what it sent; "Sync now" asks
 * for one (every SKU of the site to each of its subscriptions).
 */
export function SyncRuns({ site }: { site: string }) {
  const runs = useLoad(
    () => (site ? api<{ items: SyncRun[] }>('GET', `/api/webhooks/sync-runs${query({ site })}`) : Promise.resolve({ items: [] })),
    [site],
    { topics: WEBHOOK_TOPICS, site },
  )
  useEvery(runs.reload)
  const action = useAction()
  const [notice, setNotice] = useState('')
  const sync = () => {
    setNotice('')
    void action.run(async () => {
      await api('POST', '/api/webhooks/sync', { site })
      setNotice(`Full sync of ${site} asked for: it is listed below once it ran.`)
      runs.reload()
    })
  }

  return (
    <section aria-labelledby="sync-runs-heading">
      <div class="page-head">
        <h2 id="sync-runs-heading">Full syncs of {site}</h2>
        <button type="button" onClick={sync} disabled={action.busy || !site} aria-busy={action.busy}>
          Sync now
        </button>
      </div>
      <p role="status">{notice}</p>
      <ProblemNote error={action.error || runs.error} />
      <DataTable
        caption={`Full syncs of ${site}`}
        rows={runs.data?.items ?? []}
        rowKey={(r) => r.id}
        empty="No full sync yet."
        columns={[
          { label: 'Run', cell: (r) => r.id, numeric: true },
          { label: 'Reason', cell: (r) => REASON_WORDS[r.reason] },
          { label: 'Outcome', cell: (r) => (r.skipped ? 'Skipped: nothing changed' : r.finishedAt ? 'Sent' : 'Running') },
          { label: 'SKUs', cell: (r) => r.skus, numeric: true },
          { label: 'Subscriptions', cell: (r) => r.subscriptions, numeric: true },
          { label: 'Messages', cell: (r) => r.messages, numeric: true },
          { label: 'Through seq', cell: (r) => r.throughSeq, numeric: true },
          { label: 'By', cell: (r) => r.requestedBy },
          { label: 'Started', cell: (r) => <Time at={r.startedAt} /> },
          { label: 'Finished', cell: (r) => <Time at={r.finishedAt} /> },
        ]}
      />
    </section>
  )
}
