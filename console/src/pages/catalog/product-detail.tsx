import { useState } from 'preact/hooks'
import type { ProductInfo, ProductUpdate } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { useLoad } from '../../load.ts'
import { useFocusWhenShown } from '../../focus.ts'
import { useSession } from '../../session.tsx'
import { Facts, FormActions, ProblemNote, Time } from '../../components.tsx'
import { PRODUCT_TOPICS } from './catalog-href.ts'
import { ProductFields, productFieldsOf } from './product-fields.tsx'
import { ProductGtins } from './product-gtins.tsx'

/** One product (keyed by SKU): what it is, its GTINs, and for an admin its edit and deactivation. */
export function ProductDetail({ sku, canChange }: { sku: string; canChange: boolean }) {
  const { site } = useSession()
  const path = `/api/products/${encodeURIComponent(sku)}`
  const loaded = useLoad(() => api<ProductInfo>('GET', path), [sku], { topics: PRODUCT_TOPICS })
  const [editing, setEditing] = useState(false)
  const change = useAction()
  const p = loaded.data
  const heading = useFocusWhenShown<HTMLHeadingElement>(p !== undefined)
  if (!p) return loaded.error ? <ProblemNote error={loaded.error} /> : <p aria-busy="true">Loading {sku}…</p>

  /** Sends a change; true once the hub took it, and the product is read again at once. */
  async function patch(body: ProductUpdate) {
    const done = await change.run(() => api('PATCH', path, body))
    if (done) loaded.reload()
    return done
  }
  async function save(event: Event) {
    event.preventDefault()
    if (await patch(productFieldsOf(new FormData(event.currentTarget as HTMLFormElement)))) setEditing(false)
  }

  return (
    <article aria-labelledby="product-heading">
      <header>
        <h2 id="product-heading" ref={heading} tabIndex={-1}>
          {p.sku} {!p.active && <mark>Deactivated</mark>}
        </h2>
        <Facts
          facts={{
            Name: p.name,
            Unit: p.unit,
            'Reorder threshold': (
              <>
                {p.reorderThreshold}
                {p.siteThresholds[site] !== undefined && ` (${p.siteThresholds[site]} at ${site})`}
              </>
            ),
            Created: <Time at={p.createdAt} />,
          }}
        />
      </header>
      {editing ? (
        <form onSubmit={save} aria-label={`Edit ${p.sku}`}>
          <ProductFields product={p} />
          <FormActions action={change} submit="Save product" back="Back" onBack={() => setEditing(false)} />
        </form>
      ) : (
        canChange && (
          <div class="button-row">
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" class="secondary" disabled={change.busy} onClick={() => void patch({ active: !p.active })}>
              {p.active ? 'Deactivate' : 'Reactivate'}
            </button>
          </div>
        )
      )}
      <ProductGtins product={p} canChange={canChange} patch={patch} />
      {/* What the hub refused of a deactivation or a GTIN change; an edit's refusal shows in its form. */}
      {!editing && <ProblemNote error={change.error} />}
    </article>
  )
}
