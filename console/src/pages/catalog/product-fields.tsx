import type { ProductInfo } from '@wh/shared'

/** Name, unit and default reorder threshold, as a new product's form and an edit show them. */
export const ProductFields = ({ product }: { product?: ProductInfo }) => (
  <div class="grid">
    <label>
      Name
      <input name="name" required defaultValue={product?.name} />
    </label>
    <label>
      Unit
      <input name="unit" placeholder="ea" defaultValue={product?.unit} />
    </label>
    <label>
      Reorder threshold
      <input
        name="reorderThreshold"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        defaultValue={String(product?.reorderThreshold ?? 0)}
      />
    </label>
  </div>
)

/** The fields as the API takes them; an empty unit is the hub's default. A bad number is the hub's to refuse. */
export function productFieldsOf(form: FormData) {
  const unit = String(form.get('unit') ?? '').trim()
  return {
    name: String(form.get('name') ?? '').trim(),
    ...(unit ? { unit } : {}),
    reorderThreshold: Number(form.get('reorderThreshold') || 0),
  }
}
