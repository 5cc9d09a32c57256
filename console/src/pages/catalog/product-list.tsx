import { useState } from 'preact/hooks'
import type { ProductPage } from '@wh/shared'
import { api, query } from '../../api.ts'
import { useLoad } from '../../load.ts'
import { useCursorPages, useSearch } from '../../paging.tsx'
import { DataTable, ProblemNote, Switch } from '../../components.tsx'
import { catalogHref, PRODUCT_TOPICS } from './catalog-href.ts'

const PAGE_SIZE = 50

/** Products in SKU order, searched by SKU, name or a whole GTIN, the deactivated ones on request. */
export function ProductList({ selected }: { selected?: string }) {
  const [withInactive, setWithInactive] = useState(false)
  const { after, reset, pageButtons } = useCursorPages()
  const { q, search } = useSearch(reset)
  const page = useLoad(
    () => api<ProductPage>('GET', '/api/products' + query({ q, active: withInactive ? undefined : true, after, limit: PAGE_SIZE })),
    [q, withInactive, after],
    { topics: PRODUCT_TOPICS },
  )

  return (
    <section aria-labelledby="product-list-heading">
      <h2 id="product-list-heading">Products</h2>
      <form role="search" class="filter-bar" onSubmit={search}>
        <label>
          Search
          <input type="search" name="q" placeholder="SKU, name or GTIN" />
        </label>
        <button type="submit">Search</button>
        <Switch
          checked={withInactive}
          onFlip={(on) => {
            setWithInactive(on)
            reset()
          }}
        >
          Deactivated too
        </Switch>
      </form>
      <ProblemNote error={page.error} />
      {page.data && (
        <DataTable
          rows={page.data.items}
          rowKey={(p) => p.sku}
          empty={q ? `No product matches “${q}”.` : 'No products.'}
          columns={[
            {
              label: 'SKU',
              cell: (p) => (
                <a href={catalogHref({ sku: p.sku })} aria-current={p.sku === selected ? 'true' : undefined}>
                  {p.sku}
                </a>
              ),
            },
            { label: 'Name', cell: (p) => p.name },
            { label: 'GTINs', cell: (p) => p.gtins.length, numeric: true },
            { label: 'Status', cell: (p) => (p.active ? 'Active' : 'Deactivated') },
          ]}
        />
      )}
      {pageButtons(page.data?.next)}
    </section>
  )
}
