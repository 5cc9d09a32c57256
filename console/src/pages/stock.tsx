import { useLocation } from 'preact-iso'
import { query as queryString } from '../api.ts'
import { Page } from '../components.tsx'
import { useSession } from '../session.tsx'
import { ProductSearch } from './stock/product-search.tsx'
import { ProductStock } from './stock/product-stock.tsx'

/**
 * Stock at the chosen site: find a product, then see it per location and lot, as of a past
 * instant, its movements (voided from here) and office adjustments. The search and the open
 * product are in the address (`?q=`, `?sku=`), so they can be bookmarked and survive a reload.
 */
export function Stock() {
  const { site } = useSession()
  const { path, query, route } = useLocation()
  const href = (next: { q?: string; sku?: string }) => path + queryString(next)
  // The site is known once the header has read the sites the person may see.
  if (!site)
    return (
      <Page title="Stock">
        <p aria-busy="true">Loading…</p>
      </Page>
    )
  return (
    <Page title="Stock">
      {query.sku ? (
        <ProductStock key={`${site}\n${query.sku}`} site={site} sku={query.sku} backHref={href({ q: query.q })} />
      ) : (
        <ProductSearch
          key={`${site}\n${query.q ?? ''}`}
          site={site}
          search={query.q ?? ''}
          setSearch={(q) => route(href({ q }))}
          productHref={(sku) => href({ q: query.q, sku })}
        />
      )}
    </Page>
  )
}
