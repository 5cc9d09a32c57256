import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { catalogHref } from './catalog-href.ts'
import { ProductCreate } from './product-create.tsx'
import { ProductDetail } from './product-detail.tsx'
import { ProductList } from './product-list.tsx'

/** The products: the list, and beside it the one opened (`sku`) or a new one being made. */
export function Products({ sku, canChange }: { sku?: string; canChange: boolean }) {
  const { route } = useLocation()
  const [creating, setCreating] = useState(false)
  return (
    <>
      {canChange && !creating && (
        <div class="button-row">
          <button type="button" onClick={() => setCreating(true)}>
            New product
          </button>
        </div>
      )}
      <div class="record-layout">
        <ProductList selected={sku} />
        {creating ? (
          <ProductCreate
            onCreated={(created) => {
              setCreating(false)
              route(catalogHref({ sku: created }))
            }}
            onCancel={() => setCreating(false)}
          />
        ) : (
          sku && <ProductDetail key={sku} sku={sku} canChange={canChange} />
        )}
      </div>
    </>
  )
}
