import type { SiteLevel } from '../stock/stock-publisher.ts'
import type { ConsoleChange } from './console-changes.ts'

/**
 * Tells the open consoles that a site's stock changed, whatever changed it (a scan, a void, an
 * office adjustment, an order, an import), as topic `stock`. At most once per `everyMs` per site,
 * the last change always told: an import's batches would otherwise have every console reload many
 * times a second. Written by hand: a per-key throttle with a trailing call is these few lines.
 */
export function createStockAnnouncer(announce: (change: ConsoleChange) => void, everyMs = 1000) {
  /** Per site in its quiet period: whether a change came during it. */
  const quiet = new Map<string, { again: boolean; timer: NodeJS.Timeout }>()

  function tell(site: string) {
    announce({ topic: 'stock', site })
    const timer = setTimeout(() => {
      const again = quiet.get(site)?.again
      quiet.delete(site)
      if (again) tell(site)
    }, everyMs)
    timer.unref()
    quiet.set(site, { again: false, timer })
  }

  return {
    /** A stock listener (StockPublisher.onChange). */
    changed(levels: readonly SiteLevel[]) {
      for (const site of new Set(levels.map((l) => l.site))) {
        const waiting = quiet.get(site)
        if (waiting) waiting.again = true
        else tell(site)
      }
    },
    close() {
      for (const { timer } of quiet.values()) clearTimeout(timer)
      quiet.clear()
    },
  }
}
