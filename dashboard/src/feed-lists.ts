import type { ActivityItem, ActivityMessage, HeldEventMessage, HeldItem, ReconciliationMessage } from '@wh/shared/live/live-messages.ts'
import { clockTime, el } from './format.ts'

const ACTIVITY_SHOWN = 30
const HELD_SHOWN = 20

/** Who scanned what where, newest first. */
export class ActivityList {
  private items: ActivityItem[] = []

  constructor(private readonly root: HTMLElement) {}

  update(message: ActivityMessage) {
    // The message sent on subscribe (it has the per-minute history) replaces the list.
    this.items = message.perMinute ? [...message.items] : [...this.items, ...message.items]
    this.items = this.items.slice(-ACTIVITY_SHOWN)
    this.root.replaceChildren(
      ...this.items.toReversed().map((i) => {
        const li = el('li', '', `item ${i.status}`)
        const what = [i.eventType, i.qty === undefined ? '' : `×${i.qty}`, i.sku, i.location && `@ ${i.location}`].filter(Boolean).join(' ')
        li.append(
          el('span', clockTime(i.at), 'muted'),
          el('strong', i.deviceId),
          el('span', what || '—'),
          el('span', i.code ?? i.status, `badge ${i.status}`),
        )
        return li
      }),
    )
  }
}

/** The site's events waiting for an admin's approve or reject. */
export class HeldList {
  private readonly held = new Map<string, HeldItem>()

  constructor(
    private readonly root: HTMLElement,
    private readonly count: HTMLElement,
  ) {}

  /** Another site's screen starts empty; its list comes on subscribe. */
  clear() {
    this.held.clear()
    this.update({ type: 'held_event', held: [], pending: 0 })
  }

  update(message: HeldEventMessage) {
    for (const h of message.held) this.held.set(h.eventId, h)
    for (const id of message.decided ?? []) this.held.delete(id)
    const latest = [...this.held.values()].slice(-HELD_SHOWN)
    for (const id of [...this.held.keys()].slice(0, -HELD_SHOWN)) this.held.delete(id)
    this.count.textContent = String(message.pending)
    this.count.classList.toggle('warn', message.pending > 0)
    this.root.replaceChildren(
      ...latest.toReversed().map((h) => {
        const li = el('li', '', 'item held')
        li.append(
          el('span', clockTime(h.at), 'muted'),
          el('strong', h.deviceId),
          el('span', `${h.sku ?? '?'} @ ${h.location ?? '?'}`),
          el('span', h.code, 'badge held'),
        )
        li.title = h.reason
        return li
      }),
    )
  }
}

/** The last run as it concerns the screen's site: the run's time and status, the site's figures. */
export function showReconciliation(root: HTMLElement, message: ReconciliationMessage) {
  const run = message.run
  root.textContent = run
    ? `${clockTime(run.at)} ${run.scope}${run.dryRun ? ' (dry run)' : ''}${run.status === 'failed' ? ' failed' : ''}: ${run.checked} checked, ${run.discrepancies} found, ${run.corrected} corrected (${run.durationMs} ms)`
    : 'none yet'
  root.classList.toggle('warn', Boolean(run && (run.discrepancies > 0 || run.status === 'failed')))
}
