import { useState } from 'preact/hooks'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'
import type { WebhookSubscription } from './webhook-types.ts'

/** Pauses a subscription by hand, with why if the person says (shown with it until it is resumed). */
export function PauseForm({ sub, onDone }: { sub: WebhookSubscription; onDone: (text: string) => void }) {
  const [reason, setReason] = useState('')
  const action = useAction()
  async function submit(event: Event) {
    event.preventDefault()
    const body = reason.trim() ? { reason: reason.trim() } : {}
    if (await action.run(() => api('POST', `/api/webhooks/${sub.id}/pause`, body))) onDone(`${sub.name} paused.`)
  }
  return (
    <form onSubmit={submit} aria-label={`Pause ${sub.name}`}>
      <h3>Pause {sub.name}</h3>
      <p>Messages keep collecting for it (stock changes coalesced per SKU) and are sent once it is resumed.</p>
      <label>
        Reason (optional)
        <input value={reason} maxLength={500} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <FormActions action={action} submit={`Pause ${sub.name}`} back="Back" onBack={() => onDone('')} />
    </form>
  )
}
