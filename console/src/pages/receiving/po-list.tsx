import { useState } from 'preact/hooks'
import type { PoStatus, PurchaseOrderPage } from '@wh/shared'
import { api, query } from '../../api.ts'
import { useLoad } from '../../load.ts'
import { useCursorPages, useSearch } from '../../paging.tsx'
import { DataTable, ProblemNote } from '../../components.tsx'
import { Progress } from './progress.tsx'
import { RECEIVING_TOPICS, STATUS_LABELS } from './po-status.ts'

const PAGE_SIZE = 50

/** The site's POs in number order, by status and search, a page at a time; each opens by its link. */
export function PoList({ site, selected, href }: { site: string; selected?: string; href: (poNumber: string) => string }) {
  const [status, setStatus] = useState<PoStatus | ''>('open')
  const { after, reset, pageButtons } = useCursorPages()
  const { q, search } = useSearch(reset)
  const page = useLoad(
    () => api<PurchaseOrderPage>('GET', '/api/purchase-orders' + query({ site, status, q, after, limit: PAGE_SIZE })),
    [site, status, q, after],
    { topics: RECEIVING_TOPICS, site },
  )

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
              reset()
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
      {pageButtons(page.data?.next)}
    </section>
  )
}
