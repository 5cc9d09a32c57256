import { DataTable } from '../../components.tsx'
import { SubscriptionState } from './subscription-state.tsx'
import type { WebhookSubscription } from './webhook-types.ts'

/**
 * Every subscription an admin may see, each opening by its link: how it is doing first (what a
 * handheld shows without scrolling the table), then where it sends and what.
 */
export function SubscriptionList({
  subscriptions,
  selected,
  href,
}: {
  subscriptions: readonly WebhookSubscription[]
  selected?: number
  href: (id: number) => string
}) {
  return (
    <section aria-labelledby="webhook-list-heading">
      <h2 id="webhook-list-heading">Subscriptions</h2>
      <DataTable
        caption="Subscriptions"
        rows={subscriptions}
        rowKey={(s) => s.id}
        empty="No subscriptions yet: add one to push stock to a storefront."
        columns={[
          {
            label: 'Name',
            cell: (s) => (
              <a href={href(s.id)} aria-current={s.id === selected ? 'true' : undefined}>
                {s.name}
              </a>
            ),
          },
          { label: 'Status', cell: (s) => <SubscriptionState sub={s} /> },
          { label: 'Pending', cell: (s) => s.pending, numeric: true },
          { label: 'Dead', cell: (s) => s.dead, numeric: true },
          { label: 'Site', cell: (s) => s.site },
          {
            label: 'URL',
            cell: (s) => (
              <span class="webhook-url" title={s.url}>
                {s.url}
              </span>
            ),
          },
          { label: 'Events', cell: (s) => s.events.join(', ') + (s.skus ? ` (${s.skus.length} SKUs)` : '') },
        ]}
      />
    </section>
  )
}
