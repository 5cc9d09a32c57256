import { useState } from 'preact/hooks'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'

/**
 * Sends a seq range again: copies of the stock messages whose seq lies in it, queued at the tail
 * with their old `webhook-id` and seq (a receiver keeping the highest seq per SKU is never set back).
 */
export function ReplayRange({ id, onDone }: { id: number; onDone: (text: string) => void }) {
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const action = useAction()
  async function submit(event: Event) {
    event.preventDefault()
    let answer: { replayed?: number } | undefined
    if (
      await action.run(async () => (answer = await api('POST', `/api/webhooks/${id}/replay`, { fromSeq: Number(from), toSeq: Number(to) })))
    )
      onDone(replayedText(answer, `seq ${from} to ${to}`))
  }
  return (
    <form onSubmit={submit} aria-label="Replay a seq range">
      <h4>Replay a seq range</h4>
      <div class="inline-form">
        <label>
          From seq
          <input type="number" min={0} required value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          To seq
          <input type="number" min={from || 0} required value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
        </label>
      </div>
      <FormActions action={action} submit="Replay range" back="Back" onBack={() => onDone('')} />
    </form>
  )
}

/** What a replay queued, in words. */
export function replayedText(answer: { replayed?: number } | undefined, what: string) {
  const n = answer?.replayed
  if (n === undefined) return `Messages of ${what} queued again.`
  return n === 0 ? `No message of ${what} to send again.` : `${n} ${n === 1 ? 'message' : 'messages'} of ${what} queued again.`
}
