import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startScanner } from '../node/start-scanner.ts'
import type { ScannerClient } from '../scanner-client.ts'
import { createFleetStats, type FleetSnapshot } from './fleet-stats.ts'
import type { HubApi } from './hub-api.ts'
import { seededRandom } from './seeded-random.ts'
import { createWorkload } from './workload.ts'

export interface FleetOptions {
  hub: HubApi
  brokerUrl: string
  site: string
  scanners: number
  /** Scans per second across the whole fleet. */
  rate: number
  /** Seconds of scanning; 0 runs until `stop()` (or until `events` scans). */
  durationS: number
  /** Stop after this many scans in all, however long it takes. */
  events?: number
  seed: number
  outboxDir: string
  topicRoot?: string
  /** Device ids are `{prefix}-001`…; enrolled with the hub (registered, or their secret rotated) before the run. @defaultValue 'SIM' */
  prefix?: string
  /** For a broker with a password file: every scanner logs in as its device id with this password. */
  mqttPassword?: string
  ackTimeoutMs?: number
  /** Every `everyS` seconds, `share` of the scanners lose their link for `forS` seconds. */
  drop?: { everyS: number; forS: number; share: number }
  /** How long to wait, after scanning stops, for every outbox to empty. @defaultValue 120 */
  drainTimeoutS?: number
  onProgress?: (snapshot: FleetSnapshot) => void
}

export interface FleetResult extends FleetSnapshot {
  seed: number
  scanners: number
  /** Events still unacknowledged when the run ended (0 unless the drain timed out). */
  pending: number
  devices: string[]
}

const TICK_MS = 20

/** Runs N virtual scanners at a fleet-wide rate with a seeded workload; resolves with the final counts. */
export function startFleet(options: FleetOptions) {
  const stats = createFleetStats()
  const rnd = seededRandom(options.seed)
  const ids = Array.from({ length: options.scanners }, (_, i) => `${options.prefix ?? 'SIM'}-${String(i + 1).padStart(3, '0')}`)
  let scanning = true
  const stop = () => void (scanning = false)

  const done = (async (): Promise<FleetResult> => {
    const workload = createWorkload(await options.hub.catalog(options.site), rnd)
    await mkdir(options.outboxDir, { recursive: true })
    const secrets = new Map<string, string>()
    for (const id of ids) secrets.set(id, (await options.hub.enrollDevice(id, options.site)).secret)
    const clients = await Promise.all(
      ids.map((deviceId) =>
        startScanner({
          deviceId,
          site: options.site,
          secret: secrets.get(deviceId)!,
          brokerUrl: options.brokerUrl,
          ...(options.mqttPassword ? { mqtt: { username: deviceId, password: options.mqttPassword } } : {}),
          topicRoot: options.topicRoot,
          outboxPath: join(options.outboxDir, `${deviceId}.outbox`),
          ackTimeoutMs: options.ackTimeoutMs ?? 5000,
        }),
      ),
    )
    for (const c of clients) {
      c.on('outcome', (o) => stats.settled(o.ack, o.latencyMs))
      c.on('resend', ({ events }) => stats.resent(events))
      c.on('error', () => undefined) // connection errors are retried by the client itself
    }
    const inFlight = () => clients.reduce((n, c) => n + c.unsettled, 0)
    const progress = setInterval(() => options.onProgress?.(stats.snapshot(inFlight())), 500)
    const dropTimer = options.drop && startDrops(clients, options.drop, rnd)

    const started = Date.now()
    let issued = 0
    const until = options.durationS > 0 ? started + options.durationS * 1000 : Infinity
    while (scanning && Date.now() < until) {
      const target = Math.floor(((Date.now() - started) / 1000) * options.rate)
      const due = Math.min(target, options.events ?? Infinity) - issued
      if (issued >= (options.events ?? Infinity)) break
      const scans: Promise<unknown>[] = []
      for (let i = 0; i < due; i++, issued++) {
        scans.push(rnd.pick(clients).scan(workload.next()).then(stats.scanned, stats.refusedScan))
      }
      await Promise.all(scans)
      await new Promise((r) => setTimeout(r, TICK_MS))
    }

    if (dropTimer) clearInterval(dropTimer)
    clients.forEach((c) => c.setOnline(true))
    const drainBy = Date.now() + (options.drainTimeoutS ?? 120) * 1000
    while (inFlight() > 0 && Date.now() < drainBy) await new Promise((r) => setTimeout(r, 100))
    clearInterval(progress)
    const result: FleetResult = {
      ...stats.snapshot(inFlight()),
      seed: options.seed,
      scanners: options.scanners,
      pending: inFlight(),
      devices: ids,
    }
    options.onProgress?.(result)
    await Promise.all(clients.map((c) => c.stop()))
    return result
  })()
  return { done, stop }
}

function startDrops(clients: ScannerClient[], drop: NonNullable<FleetOptions['drop']>, rnd: ReturnType<typeof seededRandom>) {
  return setInterval(() => {
    const victims = clients.filter(() => rnd.next() < drop.share)
    victims.forEach((c) => c.setOnline(false))
    setTimeout(() => victims.forEach((c) => c.setOnline(true)), drop.forS * 1000)
  }, drop.everyS * 1000)
}
