import { useState } from 'preact/hooks'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import type { CreateWebhook, IssuedWebhook, WebhookFamily } from './webhook-types.ts'
import { FAMILY_WORDS, skusOf } from './webhook-words.ts'

/** A new subscription: a name, the site and URL, optionally only some SKUs, and what it hears. */
export function SubscriptionCreate({
  site,
  onIssued,
  onCancel,
}: {
  site: string
  onIssued: (issued: IssuedWebhook) => void
  onCancel: () => void
}) {
  const sites = useLoad(() => api<{ sites: { code: string; active: boolean }[] }>('GET', '/api/sites'), [], { topics: ['sites'] })
  const [siteCode, setSiteCode] = useState(site)
  const action = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    const skus = skusOf(String(data.get('skus') ?? ''))
    const body: CreateWebhook = {
      name: String(data.get('name')).trim(),
      site: siteCode,
      url: String(data.get('url')).trim(),
      events: data.getAll('events').map(String) as WebhookFamily[],
      ...(skus.length > 0 ? { skus } : {}),
    }
    void action.run(async () => onIssued(await api<IssuedWebhook>('POST', '/api/webhooks', body)))
  }
  return (
    <article>
      <h2>New subscription</h2>
      <form onSubmit={submit} aria-label="New subscription">
        <div class="inline-form">
          <label>
            Name
            <input name="name" required maxLength={128} placeholder="web-shop" autocomplete="off" />
          </label>
          <label>
            Site
            <select value={siteCode} onChange={(e) => setSiteCode((e.currentTarget as HTMLSelectElement).value)}>
              {(sites.data?.sites ?? [])
                .filter((s) => s.active)
                .map((s) => (
                  <option value={s.code}>{s.code}</option>
                ))}
            </select>
          </label>
        </div>
        <label>
          URL
          <input name="url" type="url" required maxLength={2048} placeholder="https://shop.example.com/hooks/stock" autocomplete="off" />
        </label>
        <label>
          SKUs (optional: none means every SKU of the site)
          <textarea name="skus" rows={2} placeholder="P-1, P-2" spellcheck={false} />
        </label>
        <fieldset class="site-choice">
          <legend>Events</legend>
          {(Object.keys(FAMILY_WORDS) as WebhookFamily[]).map((family) => (
            <label>
              <input type="checkbox" name="events" value={family} defaultChecked={family === 'stock'} />
              {FAMILY_WORDS[family]}
            </label>
          ))}
        </fieldset>
        <FormActions action={action} submit="Create subscription" back="Discard" onBack={onCancel} />
      </form>
    </article>
  )
}
