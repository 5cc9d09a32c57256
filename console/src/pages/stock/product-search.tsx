import { useState } from 'preact/hooks'
import type { InventoryItem, InventoryPage } from '@wh/shared'
import { api, query } from '../../api.ts'
import { DataTable, ProblemNote } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { STOCK_TOPICS } from './live-topics.ts'

const PAGE_SIZE = 50

/** Finds products at the site by SKU, name or GTIN, with their stock there now; a SKU opens the product. */
export function ProductSearch({
  site,
  search,
  setSearch,
  productHref,
}: {
  site: string
  search: string
  setSearch: (search: string) => void
  productHref: (sku: string) => string
}) {
  // The cursors of the pages before this one, so the search pages back as well as forward.
  const [cursors, setCursors] = useState<string[]>([])
  const after = cursors.at(-1)
  const page = useLoad(
    () => api<InventoryPage>('GET', `/api/inventory${query({ site, search, after, limit: PAGE_SIZE, includeInactive: true })}`),
    [site, search, after],
    { topics: STOCK_TOPICS, site },
  )

  function submit(event: Event) {
    event.preventDefault()
    setSearch(String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '').trim())
  }

  return (
    <>
      <form role="search" onSubmit={submit}>
        <label for="stock-search">Search products by SKU, name or GTIN</label>
        <fieldset role="group">
          <input id="stock-search" name="q" type="search" defaultValue={search} maxLength={64} />
          <button type="submit">Search</button>
        </fieldset>
      </form>
      <ProblemNote error={page.error} />
      {page.data && (
        <DataTable<InventoryItem>
          caption={`Products at ${site}${search ? ` matching “${search}”` : ''}`}
          rows={page.data.items}
          rowKey={(p) => p.sku}
          empty={search ? `No product matches “${search}”.` : 'No products yet.'}
          columns={[
            { label: 'SKU', cell: (p) => <a href={productHref(p.sku)}>{p.sku}</a> },
            { label: 'Name', cell: (p) => (p.active ? p.name : `${p.name} (deactivated)`) },
            { label: 'On hand', numeric: true, cell: (p) => p.onHand },
            { label: 'Reserved', numeric: true, cell: (p) => p.reserved },
            {
              label: 'Available',
              numeric: true,
              cell: (p) => (p.low ? <mark title="At or below the reorder threshold">{p.available}</mark> : p.available),
            },
          ]}
        />
      )}
      <nav aria-label="Pages of products" class="pager">
        {cursors.length > 0 && (
          <button type="button" class="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous products
          </button>
        )}
        {page.data?.next && (
          <button type="button" class="secondary" onClick={() => setCursors([...cursors, page.data!.next!])}>
            Next products
          </button>
        )}
      </nav>
    </>
  )
}
