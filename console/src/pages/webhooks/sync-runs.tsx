import { useState } from 'preact/hooks'
import { api, query } from '../../api.ts'
import { useAction } from '../../action.ts'
import { DataTable, ProblemNote, Time } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { useCursorPages } from '../../paging.tsx'
import { useEvery } from './every.ts'
import type { SyncRun, SyncRunPage } from './webhook-types.ts'
import { REASON_WORDS, WEBHOOK_TOPICS } from './webhook-words.ts'

const PAGE_SIZE = 20

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
/** What a full sync asked for now sent. */
const ranText = (run: SyncRun) =>
  `Full sync ${run.id} of ${run.site}: ${plural(run.skus, 'SKU')} in ${plural(run.messages, 'message')} to ${plural(run.subscriptions, 'subscription')}.`

/**
 * The site's full syncs, newest first: why each ran (the catalog changed, the 12-hour fallback,
 * asked for), or that it was skipped as nothing had changed, and what it sent; "Sync now" asks
 * for one (every SKU of the site to each of its subscriptions).
 */
export function SyncRuns({ site }: { site: string }) {
  const { after, reset, pageButtons } = useCursorPages()
  const runs = useLoad(
    () =>
      site
        ? api<SyncRunPage>('GET', `/api/webhooks/sync-runs${query({ site, before: after, limit: PAGE_SIZE })}`)
        : Promise.resolve<SyncRunPage>({ items: [], next: null }),
    [site, after],
    { topics: WEBHOOK_TOPICS, site },
  )
  // The fallback runs and those the catalog's changes start are not announced.
  useEvery(runs.reload, !after)
  const action = useAction()
  const [notice, setNotice] = useState('')
  const sync = () => {
    setNotice('')
    void action.run(async () => {
      setNotice(ranText(await api<SyncRun>('POST', '/api/webhooks/sync', { site })))
      reset()
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
      {pageButtons(runs.data?.next?.toString())}
    </section>
  )
}
