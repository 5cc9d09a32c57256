import WebSocket from 'ws'
import { LiveClient } from '@wh/shared/live'
import { percentile } from '../../devices/src/sim/fleet-stats.ts'
import { eventually } from '../../tests/helpers/eventually.ts'

/**
 * Scan -> screen latency, seen the way a floor screen sees it: a LiveClient follows the hub while
 * the load generator sends receipts of one unit. A product's on-hand then says how many of its
 * receipts the screen has shown, so each receipt's arrival is known even when deltas coalesce.
 */
export async function watchScreen(url: string, apiKey: string) {
  const sentAt = new Map<string, number[]>()
  const shown = new Map<string, number>()
  const base = new Map<string, number>()
  const latencies: number[] = []
  const client = new LiveClient({
    url,
    apiKey,
    open: (u, protocols) => new WebSocket(u, protocols),
    onInventory: (change, message) => {
      if (change.kind !== 'update') return
      const now = performance.now()
      for (const stock of message.type === 'inventory_update' ? [message.data] : message.data) {
        const times = sentAt.get(stock.sku) ?? []
        const seen = stock.onHand - (base.get(stock.sku) ?? 0)
        let i = shown.get(stock.sku) ?? 0
        for (; i < Math.min(seen, times.length); i++) if (times[i]! >= 0) latencies.push(now - times[i]!)
        shown.set(stock.sku, i)
      }
    },
  })
  client.start()
  await eventually('the bench screen to go live', () => client.state === 'live', 10_000)
  for (const [sku, stock] of client.view.stock) base.set(sku, stock.onHand)
  return {
    /** A receipt of one unit of `sku` was scanned now; `measured` outside the warm-up. */
    scanned(sku: string, measured: boolean) {
      const times = sentAt.get(sku) ?? []
      times.push(measured ? performance.now() : -1)
      sentAt.set(sku, times)
    },
    result() {
      const sorted = [...latencies].sort((a, b) => a - b)
      return { p50: Math.round(percentile(sorted, 0.5)), p99: Math.round(percentile(sorted, 0.99)), samples: sorted.length }
    },
    close() {
      client.stop()
    },
  }
}
