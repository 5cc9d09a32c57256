import { useState } from 'preact/hooks'
import type { CreatePurchaseOrder, PurchaseOrder } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { ProblemNote } from '../../components.tsx'
import { blankLine, LineDrafts, linesOf, useLineDrafts } from './line-drafts.tsx'

/** A new purchase order for the chosen site: its number, supplier, expected date and lines. */
export function PoCreate({ site, onCreated, onCancel }: { site: string; onCreated: (po: PurchaseOrder) => void; onCancel: () => void }) {
  const [poNumber, setPoNumber] = useState('')
  const [supplier, setSupplier] = useState('')
  const [expectedAt, setExpectedAt] = useState('')
  const lines = useLineDrafts([blankLine()])
  const action = useAction()

  async function submit(event: Event) {
    event.preventDefault()
    const body: CreatePurchaseOrder = {
      poNumber: poNumber.trim(),
      site,
      lines: linesOf(lines.drafts),
      ...(supplier.trim() ? { supplier: supplier.trim() } : {}),
      ...(expectedAt ? { expectedAt } : {}),
    }
    let created: PurchaseOrder | undefined
    if (await action.run(async () => (created = await api<PurchaseOrder>('POST', '/api/purchase-orders', body)))) onCreated(created!)
  }

  return (
    <article>
      <h2>New purchase order at {site}</h2>
      <form onSubmit={submit}>
        <div class="grid">
          <label>
            PO number
            <input value={poNumber} required autocomplete="off" onInput={(e) => setPoNumber((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            Supplier
            <input value={supplier} onInput={(e) => setSupplier((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            Expected on
            <input type="date" value={expectedAt} onInput={(e) => setExpectedAt((e.currentTarget as HTMLInputElement).value)} />
          </label>
        </div>
        <LineDrafts lines={lines} legend="Lines" />
        <ProblemNote error={action.error} />
        <div class="button-row">
          <button type="submit" aria-busy={action.busy} disabled={action.busy}>
            Create purchase order
          </button>
          <button type="button" class="secondary" onClick={onCancel}>
            Discard
          </button>
        </div>
      </form>
    </article>
  )
}
