import { useState } from 'preact/hooks'
import { ShownOnce } from '../devices/shown-once.tsx'
import type { IssuedWebhook } from './webhook-types.ts'

/** A subscription's new signing secret (`whsec_…`), shown once, with a button that copies it. */
export function SecretShown({ issued, onDone }: { issued: IssuedWebhook; onDone: () => void }) {
  const [copied, setCopied] = useState('')
  const copy = () =>
    navigator.clipboard.writeText(issued.secret).then(
      () => setCopied('Copied to the clipboard.'),
      () => setCopied('The browser refused the clipboard: select the secret and copy it.'),
    )
  return (
    <ShownOnce title={`Signing secret of ${issued.subscription.name}`} label="Signing secret" value={issued.secret} onDone={onDone}>
      <p>The endpoint checks every message's signature with it (Standard Webhooks).</p>
      <div class="button-row">
        <button type="button" class="secondary" onClick={() => void copy()}>
          Copy secret
        </button>
        <span role="status">{copied}</span>
      </div>
    </ShownOnce>
  )
}
