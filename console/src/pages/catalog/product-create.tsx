import type { Product, ProductInfo } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { ProblemNote } from '../../components.tsx'
import { ProductFields, productFieldsOf } from './product-fields.tsx'

/** A new product: SKU, name, unit and reorder threshold; its GTINs are added once it exists. */
export function ProductCreate({ onCreated, onCancel }: { onCreated: (sku: string) => void; onCancel: () => void }) {
  const action = useAction()
  async function submit(event: Event) {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const body: Product = { sku: String(form.get('sku')).trim(), ...productFieldsOf(form) }
    let created: ProductInfo | undefined
    if (await action.run(async () => (created = await api<ProductInfo>('POST', '/api/products', body)))) onCreated(created!.sku)
  }
  return (
    <article>
      <h2>New product</h2>
      <form onSubmit={submit}>
        <label>
          SKU
          <input name="sku" required autocomplete="off" />
        </label>
        <ProductFields />
        <ProblemNote error={action.error} />
        <div class="button-row">
          <button type="submit" aria-busy={action.busy} disabled={action.busy}>
            Create product
          </button>
          <button type="button" class="secondary" onClick={onCancel}>
            Discard
          </button>
        </div>
      </form>
    </article>
  )
}
