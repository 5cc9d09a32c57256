import { MemoryOutbox, ScannerClient, type ScanOutcome } from '../../devices/src/index.ts'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'

export interface ClosedLoopOptions {
  brokerUrl: string
  topicRoot: string
  site: string
  devices: string[]
  skus: string[]
  locations: string[]
  /** Events each device keeps unacknowledged at once. */
  window: number
  warmupS: number
  measureS: number
  /** Share of events on the first SKU (the hot-product scenario). @defaultValue 0 */
  hotShare?: number
  seed?: number
}

export interface LoadResult {
  eventsPerSecond: number
  scanned: number
  settled: number
  latencyMs: { p50: number; p99: number }
  statuses: Record<string, number>
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0

/**
 * Max sustained rate, closed loop: every device keeps `window` receipts in flight and scans the
 * next one as each ack (sent by the hub after its commit) arrives. Devices keep events in memory:
 * this measures the hub, not the handhelds' disks.
 */
export async function runClosedLoop(o: ClosedLoopOptions): Promise<LoadResult> {
  const rnd = seededRandom(o.seed ?? 1)
  const clients = await Promise.all(
    o.devices.map((deviceId) =>
      ScannerClient.start({
        deviceId,
        site: o.site,
        brokerUrl: o.brokerUrl,
        topicRoot: o.topicRoot,
        store: new MemoryOutbox(),
        ackTimeoutMs: 60_000,
      }),
    ),
  )
  await waitFor(() => clients.every((c) => c.connected), 10_000)
  let running = true
  let scanned = 0
  const measured: ScanOutcome[] = []
  const statuses: Record<string, number> = {}
  let measuring = false
  const next = (c: ScannerClient) => {
    if (!running) return
    const sku = o.hotShare && rnd.next() < o.hotShare ? o.skus[0]! : rnd.pick(o.skus)
    scanned++
    void c.scan({ type: 'receive', barcode: sku, location: rnd.pick(o.locations), qty: 1 })
  }
  for (const c of clients) {
    c.on('outcome', (outcome) => {
      statuses[outcome.ack.status] = (statuses[outcome.ack.status] ?? 0) + 1
      if (measuring) measured.push(outcome)
      next(c)
    })
    for (let i = 0; i < o.window; i++) next(c)
  }
  await sleep(o.warmupS * 1000)
  measuring = true
  const t0 = performance.now()
  await sleep(o.measureS * 1000)
  measuring = false
  const elapsed = (performance.now() - t0) / 1000
  running = false
  await waitFor(() => clients.every((c) => c.outbox.size === 0), 60_000)
  await Promise.all(clients.map((c) => c.stop()))
  const latencies = measured.map((m) => m.latencyMs).sort((a, b) => a - b)
  return {
    eventsPerSecond: Math.round(measured.length / elapsed),
    scanned,
    settled: Object.values(statuses).reduce((a, b) => a + b, 0),
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    statuses,
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function waitFor(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the load generator timed out waiting for the hub')
    await sleep(50)
  }
}
