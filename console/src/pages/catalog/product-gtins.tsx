import { useState } from 'preact/hooks'
import type { ProductGtin, ProductInfo, ProductUpdate } from '@wh/shared'
import { DataTable } from '../../components.tsx'

/**
 * A product's GTINs, smallest pack first: each is a barcode a scan moves its pack quantity by (1
 * for the unit, 12 for a case of 12). The API replaces the set, so adding or removing one sends
 * the whole set; the hub checks each check digit and that no other product has it.
 */
export function ProductGtins({
  product,
  canChange,
  patch,
}: {
  product: ProductInfo
  canChange: boolean
  patch: (body: ProductUpdate) => Promise<boolean>
}) {
  const [gtin, setGtin] = useState('')
  const [qty, setQty] = useState('1')
  const setGtins = (gtins: ProductGtin[]) => patch({ gtins })

  async function add(event: Event) {
    event.preventDefault()
    if (await setGtins([...product.gtins, { gtin: gtin.trim(), qty: Number(qty) }])) {
      setGtin('')
      setQty('1')
    }
  }

  return (
    <section aria-labelledby="gtins-heading">
      <h3 id="gtins-heading">GTINs</h3>
      <DataTable
        rows={product.gtins}
        rowKey={(g) => g.gtin}
        empty="No GTIN: scanned by SKU only."
        columns={[
          { label: 'GTIN', cell: (g) => g.gtin },
          { label: 'Pack quantity', cell: (g) => g.qty, numeric: true },
          ...(canChange
            ? [
                {
                  label: 'Change',
                  cell: (g: ProductGtin) => (
                    <button
                      type="button"
                      class="secondary outline"
                      aria-label={`Remove GTIN ${g.gtin}`}
                      onClick={() => void setGtins(product.gtins.filter((o) => o.gtin !== g.gtin))}
                    >
                      Remove
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canChange && (
        <form class="filter-bar" onSubmit={add} aria-label={`Add a GTIN to ${product.sku}`}>
          <label>
            GTIN
            <input
              value={gtin}
              required
              inputMode="numeric"
              autocomplete="off"
              onInput={(e) => setGtin((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <label>
            Pack quantity
            <input
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              required
              value={qty}
              onInput={(e) => setQty((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button type="submit">Add GTIN</button>
        </form>
      )}
    </section>
  )
}
