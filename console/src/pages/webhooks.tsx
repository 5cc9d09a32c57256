import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { api } from '../api.ts'
import { Page, ProblemNote } from '../components.tsx'
import { useLoad } from '../load.ts'
import { may, useSession } from '../session.tsx'
import { useEvery } from './webhooks/every.ts'
import { SecretShown } from './webhooks/secret-shown.tsx'
import { SubscriptionCreate } from './webhooks/subscription-create.tsx'
import { SubscriptionDetail } from './webhooks/subscription-detail.tsx'
import { SubscriptionList } from './webhooks/subscription-list.tsx'
import { SyncRuns } from './webhooks/sync-runs.tsx'
import type { IssuedWebhook, WebhookSubscription } from './webhooks/webhook-types.ts'
import { WEBHOOK_TOPICS, webhookHref } from './webhooks/webhook-words.ts'

/**
 * Admin: the webhook subscriptions that push stock and order events to storefronts, each one's
 * delivery log and controls, and the chosen site's full syncs.
 */
export function Webhooks() {
  const { person, site } = useSession()
  if (!may(person, 'admin'))
    return (
      <Page title="Storefront sync">
        <p>Only an admin manages the storefronts' webhooks.</p>
      </Page>
    )
  return <Subscriptions site={site} />
}

function Subscriptions({ site }: { site: string }) {
  const { query, route } = useLocation()
  const [creating, setCreating] = useState(false)
  const [issued, setIssued] = useState<IssuedWebhook>()
  const [notice, setNotice] = useState('')
  const list = useLoad(() => api<{ subscriptions: WebhookSubscription[] }>('GET', '/api/webhooks'), [], { topics: WEBHOOK_TOPICS })
  // Pending and dead counts move as the worker delivers.
  useEvery(list.reload)
  const selected = query.id ? Number(query.id) : undefined

  return (
    <Page
      title="Storefront sync"
      actions={
        !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New subscription
          </button>
        )
      }
    >
      <p>
        Each subscription receives its site's stock changes (coalesced per SKU, with on hand and available) and, if chosen, order events,
        signed to the Standard Webhooks specification and retried with backoff; one failing for long is paused.
      </p>
      {creating && (
        <SubscriptionCreate
          site={site}
          onIssued={(next) => {
            setCreating(false)
            setIssued(next)
            list.reload()
            route(webhookHref(next.subscription.id))
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {issued && <SecretShown issued={issued} onDone={() => setIssued(undefined)} />}
      <p role="status">{notice}</p>
      <ProblemNote error={list.error} />
      <div class="record-layout">
        <SubscriptionList subscriptions={list.data?.subscriptions ?? []} selected={selected} href={webhookHref} />
        {selected && (
          <SubscriptionDetail
            key={selected}
            id={selected}
            onDeleted={(name) => {
              setNotice(`${name} deleted.`)
              list.reload()
              route(webhookHref())
            }}
          />
        )}
      </div>
      <SyncRuns site={site} />
    </Page>
  )
}
