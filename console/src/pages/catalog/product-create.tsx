import type { Product, ProductInfo } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'
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
        <FormActions action={action} submit="Create product" back="Discard" onBack={onCancel} />
      </form>
    </article>
  )
}
