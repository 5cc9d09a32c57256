import { useState } from 'preact/hooks'
import type { CreatePurchaseOrder, PurchaseOrder } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'
import { blankLine, LineDrafts, linesOf, useLineDrafts } from './line-drafts.tsx'
import { PoTerms } from './po-terms.tsx'

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
          <PoTerms supplier={supplier} expectedAt={expectedAt} onSupplier={setSupplier} onExpectedAt={setExpectedAt} />
        </div>
        <LineDrafts lines={lines} legend="Lines" />
        <FormActions action={action} submit="Create purchase order" back="Discard" onBack={onCancel} />
      </form>
    </article>
  )
}
