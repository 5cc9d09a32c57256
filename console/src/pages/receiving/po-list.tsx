import { useState } from 'preact/hooks'
import type { PoStatus, PurchaseOrderPage } from '@wh/shared'
import { api, query } from '../../api.ts'
import { useLoad } from '../../load.ts'
import { DataTable, ProblemNote } from '../../components.tsx'
import { Progress } from './progress.tsx'
import { RECEIVING_TOPICS, STATUS_LABELS } from './po-status.ts'

const PAGE_SIZE = 50

/** The site's POs in number order, by status and search, a page at a time; each opens by its link. */
export function PoList({ site, selected, href }: { site: string; selected?: string; href: (poNumber: string) => string }) {
  const [status, setStatus] = useState<PoStatus | ''>('open')
  const [q, setQ] = useState('')
  // The cursors of the pages before this one, so "Previous page" can go back.
  const [cursors, setCursors] = useState<string[]>([])
  const after = cursors.at(-1)
  const page = useLoad(
    () => api<PurchaseOrderPage>('GET', '/api/purchase-orders' + query({ site, status, q, after, limit: PAGE_SIZE })),
    [site, status, q, after],
    { topics: RECEIVING_TOPICS, site },
  )

  function search(event: Event) {
    event.preventDefault()
    setQ(String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '').trim())
    setCursors([])
  }

  return (
    <section aria-labelledby="po-list-heading">
      <h2 id="po-list-heading">Purchase orders at {site}</h2>
      <form role="search" class="filter-bar" onSubmit={search}>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus((e.currentTarget as HTMLSelectElement).value as PoStatus | '')
              setCursors([])
            }}
          >
            <option value="">Any</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" name="q" placeholder="PO number, supplier or SKU" />
        </label>
        <button type="submit">Search</button>
      </form>
      <ProblemNote error={page.error} />
      {page.data && (
        <DataTable
          rows={page.data.items}
          rowKey={(po) => po.poNumber}
          empty={q ? `No purchase order matches “${q}”.` : 'No purchase orders.'}
          columns={[
            {
              label: 'PO',
              cell: (po) => (
                <a href={href(po.poNumber)} aria-current={po.poNumber === selected ? 'true' : undefined}>
                  {po.poNumber}
                </a>
              ),
            },
            { label: 'Supplier', cell: (po) => po.supplier || '—' },
            { label: 'Expected', cell: (po) => po.expectedAt ?? '—' },
            { label: 'Status', cell: (po) => STATUS_LABELS[po.status] },
            { label: 'Lines', cell: (po) => po.lineCount, numeric: true },
            {
              label: 'Received of ordered',
              cell: (po) => <Progress received={po.received} ordered={po.ordered} label={`${po.poNumber} received`} />,
            },
          ]}
        />
      )}
      <div class="button-row">
        {cursors.length > 0 && (
          <button type="button" class="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous page
          </button>
        )}
        {page.data?.next && (
          <button type="button" class="secondary" onClick={() => setCursors([...cursors, page.data!.next!])}>
            Next page
          </button>
        )}
      </div>
    </section>
  )
}
