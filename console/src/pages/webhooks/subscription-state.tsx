import { Time } from '../../components.tsx'
import type { WebhookSubscription } from './webhook-types.ts'

/**
 * Whether a subscription delivers: active, or paused with why and since when its endpoint has
 * been failing (a paused one keeps collecting messages until it is resumed).
 */
export function SubscriptionState({ sub }: { sub: WebhookSubscription }) {
  return (
    <span class="webhook-state">
      <mark class={`webhook-status webhook-status-${sub.status}`}>{sub.status === 'paused' ? 'Paused' : 'Active'}</mark>
      {sub.pausedReason && sub.status === 'paused' && <span class="webhook-reason">{sub.pausedReason}</span>}
      {sub.failingSince && (
        <span class="webhook-failing">
          failing since <Time at={sub.failingSince} />
        </span>
      )}
    </span>
  )
}
