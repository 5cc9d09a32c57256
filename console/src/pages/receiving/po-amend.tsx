import { useState } from 'preact/hooks'
import type { PurchaseOrder, UpdatePurchaseOrder } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'
import { LineDrafts, linesOf, useLineDrafts } from './line-drafts.tsx'
import { PoTerms } from './po-terms.tsx'

/** The change a form's values make to `po`: only what differs, so an unchanged field is not sent. */
function changeOf(po: PurchaseOrder, supplier: string, expectedAt: string, qty: Record<string, string>, removed: Set<string>) {
  const change: UpdatePurchaseOrder = {}
  if (supplier.trim() !== po.supplier) change.supplier = supplier.trim()
  if (expectedAt !== (po.expectedAt ?? '')) change.expectedAt = expectedAt || null
  const changed = po.lines.filter((l) => !removed.has(l.sku) && qty[l.sku] !== String(l.ordered))
  return { change, changed: changed.map((l) => ({ sku: l.sku, qty: Number(qty[l.sku]) })) }
}

/** Amends an open PO: supplier, expected date, each line's quantity, lines removed and added, in one change. */
export function PoAmend({ po, onDone }: { po: PurchaseOrder; onDone: () => void }) {
  const [supplier, setSupplier] = useState(po.supplier)
  const [expectedAt, setExpectedAt] = useState(po.expectedAt ?? '')
  const [qty, setQty] = useState<Record<string, string>>(Object.fromEntries(po.lines.map((l) => [l.sku, String(l.ordered)])))
  const [removed, setRemoved] = useState(new Set<string>())
  const added = useLineDrafts([])
  const action = useAction()

  const toggleRemoved = (sku: string, on: boolean) => {
    const next = new Set(removed)
    if (on) next.add(sku)
    else next.delete(sku)
    setRemoved(next)
  }

  async function submit(event: Event) {
    event.preventDefault()
    const { change, changed } = changeOf(po, supplier, expectedAt, qty, removed)
    const lines = [...changed, ...linesOf(added.drafts)]
    // Sent even when empty of changes: the hub answers what the request changes (nothing) in its own words.
    const body: UpdatePurchaseOrder = {
      ...change,
      ...(lines.length > 0 ? { lines } : {}),
      ...(removed.size > 0 ? { removeSkus: [...removed] } : {}),
    }
    if (await action.run(() => api('PATCH', `/api/purchase-orders/${encodeURIComponent(po.poNumber)}`, body))) onDone()
  }

  return (
    <form onSubmit={submit} aria-label={`Amend ${po.poNumber}`}>
      <h3>Amend {po.poNumber}</h3>
      <div class="grid">
        <PoTerms supplier={supplier} expectedAt={expectedAt} onSupplier={setSupplier} onExpectedAt={setExpectedAt} />
      </div>
      <fieldset>
        <legend>Lines on the order</legend>
        {po.lines.map((l) => (
          <div class="line-row" key={l.sku}>
            <span class="line-row-name">{l.sku}</span>
            <input
              aria-label={`Ordered quantity of ${l.sku}`}
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              required
              disabled={removed.has(l.sku)}
              value={qty[l.sku]}
              onInput={(e) => setQty({ ...qty, [l.sku]: (e.currentTarget as HTMLInputElement).value })}
            />
            <label>
              <input
                type="checkbox"
                checked={removed.has(l.sku)}
                disabled={l.received > 0}
                onChange={(e) => toggleRemoved(l.sku, (e.currentTarget as HTMLInputElement).checked)}
              />
              Remove {l.sku}
            </label>
          </div>
        ))}
      </fieldset>
      <LineDrafts lines={added} legend="New lines" />
      <FormActions action={action} submit="Save changes" back="Back" onBack={onDone} />
    </form>
  )
}
