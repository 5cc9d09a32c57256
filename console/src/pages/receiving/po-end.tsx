import { useState } from 'preact/hooks'
import type { PurchaseOrder, RenumberResult } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'

const path = (po: PurchaseOrder, action: string) => `/api/purchase-orders/${encodeURIComponent(po.poNumber)}/${action}`

const WHAT = {
  close: { title: 'Close', note: 'Nothing more is received against it; what was received stays linked to it.' },
  cancel: { title: 'Cancel', note: 'Only a purchase order nothing was received against can be cancelled.' },
} as const

/** Closes or cancels an open PO, with a reason if the person gives one. */
export function PoEnd({ po, action, onDone }: { po: PurchaseOrder; action: keyof typeof WHAT; onDone: () => void }) {
  const [reason, setReason] = useState('')
  const request = useAction()
  async function submit(event: Event) {
    event.preventDefault()
    if (await request.run(() => api('POST', path(po, action), reason.trim() ? { reason: reason.trim() } : {}))) onDone()
  }
  return (
    <form onSubmit={submit} aria-label={`${WHAT[action].title} ${po.poNumber}`}>
      <h3>
        {WHAT[action].title} {po.poNumber}
      </h3>
      <p>{WHAT[action].note}</p>
      <label>
        Reason (optional)
        <input value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <FormActions action={request} submit={`${WHAT[action].title} ${po.poNumber}`} back="Back" onBack={onDone} />
    </form>
  )
}

/** Gives a PO a new number, with why; its lots and ledger rows take the new number with it. */
export function PoRenumber({
  po,
  onDone,
  onRenumbered,
}: {
  po: PurchaseOrder
  onDone: () => void
  onRenumbered: (result: RenumberResult) => void
}) {
  const [newPoNumber, setNewPoNumber] = useState('')
  const [reason, setReason] = useState('')
  const request = useAction()
  async function submit(event: Event) {
    event.preventDefault()
    let result: RenumberResult | undefined
    const body = { newPoNumber: newPoNumber.trim(), reason: reason.trim() }
    if (await request.run(async () => (result = await api<RenumberResult>('POST', path(po, 'renumber'), body)))) onRenumbered(result!)
  }
  return (
    <form onSubmit={submit} aria-label={`Renumber ${po.poNumber}`}>
      <h3>Renumber {po.poNumber}</h3>
      <div class="grid">
        <label>
          New PO number
          <input
            value={newPoNumber}
            required
            autocomplete="off"
            onInput={(e) => setNewPoNumber((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          Reason
          <input value={reason} required onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
        </label>
      </div>
      <FormActions action={request} submit="Renumber" back="Back" onBack={onDone} />
    </form>
  )
}
