import { MemoryOutbox, startScanner, type ScannerClient, type ScanOutcome } from '../../devices/src/index.ts'
import { percentile } from '../../devices/src/sim/fleet-stats.ts'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'
import { testDeviceSecret } from '../../tests/helpers/device-secrets.ts'
import { eventually } from '../../tests/helpers/eventually.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CpuMeter } from './cpu-meter.ts'

export interface LoadOptions {
  brokerUrl: string
  topicRoot: string
  site: string
  devices: string[]
  skus: string[]
  locations: string[]
  /** Closed loop: events each device keeps unacknowledged at once. */
  window?: number
  /** Open loop instead: scans per second across all devices, whatever the acks do. */
  rate?: number
  warmupS: number
  measureS: number
  /** Share of events on the first SKU (the hot-product scenario). @defaultValue 0 */
  hotShare?: number
  seed?: number
  /** Each device's signing secret. @defaultValue the test fixtures' `testDeviceSecret` */
  secretOf?: (deviceId: string) => string
  /** Told of each scan (all are receipts of one unit), and whether it falls in the measurement. */
  onScan?: (sku: string, measuring: boolean) => void
  /** Started and stopped with the measurement, to put a CPU cost on each event acked in it. */
  cpu?: CpuMeter
}

export interface LoadResult {
  eventsPerSecond: number
  scanned: number
  settled: number
  latencyMs: { p50: number; p99: number }
  statuses: Record<string, number>
  /** With a `cpu` meter: CPU microseconds per acked event, by process. */
  cpuUsPerEvent?: Record<string, number>
}

/**
 * Drives the hub with receipts from many devices. Closed loop (`window`): every device keeps that
 * many events in flight and scans the next as each ack (sent after the hub's commit) arrives, which
 * finds the max sustained rate. Open loop (`rate`): a fixed offered rate, for latency. Devices keep
 * events in memory: this measures the hub, not the handhelds' disks.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const rnd = seededRandom(o.seed ?? 1)
  const clients = await Promise.all(
    o.devices.map((deviceId) =>
      startScanner({
        deviceId,
        site: o.site,
        // One HMAC per send, as a real scanner pays; the secret is fixed per device.
        secret: (o.secretOf ?? testDeviceSecret)(deviceId),
        brokerUrl: o.brokerUrl,
        topicRoot: o.topicRoot,
        // No history: the bench measures the hub, and a long run would keep every ack in memory.
        store: new MemoryOutbox({ maxHistory: 0 }),
        ackTimeoutMs: 60_000,
      }),
    ),
  )
  await eventually('the load generator connected', () => clients.every((c) => c.connected), 10_000)
  let running = true
  let scanned = 0
  const measured: ScanOutcome[] = []
  const statuses: Record<string, number> = {}
  let measuring = false
  const next = (c: ScannerClient) => {
    if (!running) return
    const sku = o.hotShare && rnd.next() < o.hotShare ? o.skus[0]! : rnd.pick(o.skus)
    scanned++
    o.onScan?.(sku, measuring)
    void c.scan({ type: 'receive', barcode: sku, location: rnd.pick(o.locations), qty: 1 })
  }
  for (const c of clients) {
    c.on('error', () => undefined) // a broker blip is the client's to retry; unheard, it would crash the bench
    c.on('outcome', (outcome) => {
      statuses[outcome.ack.status] = (statuses[outcome.ack.status] ?? 0) + 1
      if (measuring) measured.push(outcome)
      if (o.window) next(c)
    })
    for (let i = 0; i < (o.window ?? 0); i++) next(c)
  }
  const started = performance.now()
  const pacer =
    o.rate &&
    setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * o.rate!) - scanned
      for (let i = 0; i < due; i++) next(rnd.pick(clients))
    }, 5)
  await sleep(o.warmupS * 1000)
  measuring = true
  o.cpu?.start()
  const t0 = performance.now()
  await sleep(o.measureS * 1000)
  measuring = false
  const cpu = o.cpu?.stop()
  const elapsed = (performance.now() - t0) / 1000
  running = false
  if (pacer) clearInterval(pacer)
  await eventually('the hub to ack every event', () => clients.every((c) => c.unsettled === 0), 60_000)
  await Promise.all(clients.map((c) => c.stop()))
  const latencies = measured.map((m) => m.latencyMs).sort((a, b) => a - b)
  return {
    eventsPerSecond: Math.round(measured.length / elapsed),
    scanned,
    settled: Object.values(statuses).reduce((a, b) => a + b, 0),
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    statuses,
    ...(cpu && {
      cpuUsPerEvent: Object.fromEntries(Object.entries(cpu).map(([k, s]) => [k, Math.round((s * 1e6) / Math.max(1, measured.length))])),
    }),
  }
}
