import { Gauge, type Registry } from 'prom-client'
import type { Queue } from 'bullmq'

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const

export interface StateGaugeSources {
  /** Every BullMQ queue of the installation (the partitions, orders, reconciliation). */
  queues: readonly Queue[]
  /** Events waiting in each partition's inbox, by partition. */
  inboxLengths: () => Promise<number[]>
  /** When the oldest event waiting in each partition's inbox was admitted (ms), by partition; null when none waits. */
  oldestWaiting: () => Promise<(number | null)[]>
  heldPending: () => Promise<number>
  /** Floor screens connected to this instance (0 in a process without the API). */
  screens: () => number
  onError: (err: Error) => void
}

/** A gauge's collect that, when its source fails, keeps the last value and lets the rest of the scrape go on. */
const guarded = (onError: (err: Error) => void) => (collect: () => Promise<void>) =>
  async function (this: unknown) {
    await collect().catch(onError)
  }

/**
 * Gauges read at scrape time, so the hot path never touches them. Queue depths and held events
 * are the installation's (every instance reports the same: take max, not sum); screens are this
 * instance's. A source that fails keeps its last value and the rest of the scrape goes on.
 */
export function registerStateGauges(registry: Registry, sources: StateGaugeSources) {
  const guard = guarded(sources.onError)

  const jobs = new Gauge({
    name: 'wh_queue_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    collect: guard(async () => {
      const counts = await Promise.all(sources.queues.map((q) => q.getJobCounts(...JOB_STATES)))
      sources.queues.forEach((q, i) => {
        for (const state of JOB_STATES) jobs.set({ queue: q.name, state }, counts[i]![state] ?? 0)
      })
    }),
  })
  const inbox = new Gauge({
    name: 'wh_partition_inbox_events',
    help: 'Admitted events waiting in a partition inbox for their batch',
    labelNames: ['partition'] as const,
    registers: [registry],
    collect: guard(async () => {
      const lengths = await sources.inboxLengths()
      lengths.forEach((n, p) => inbox.set({ partition: String(p) }, n))
    }),
  })
  const oldest = new Gauge({
    name: 'wh_partition_oldest_event_age_seconds',
    help: 'How long the oldest event waiting in a partition inbox has waited since its admission (0 when none waits)',
    labelNames: ['partition'] as const,
    registers: [registry],
    collect: guard(async () => {
      const now = Date.now()
      const admitted = await sources.oldestWaiting()
      admitted.forEach((at, p) => oldest.set({ partition: String(p) }, at === null ? 0 : Math.max(0, now - at) / 1000))
    }),
  })
  const held: Gauge = new Gauge({
    name: 'wh_held_events_pending',
    help: 'Held events waiting for an admin to approve or reject them',
    registers: [registry],
    collect: guard(async () => held.set(await sources.heldPending())),
  })
  const screens: Gauge = new Gauge({
    name: 'wh_socket_clients',
    help: "Floor screens connected to this instance's WebSocket",
    registers: [registry],
    collect: guard(async () => screens.set(sources.screens())),
  })
}

export interface DeviceGaugeSource {
  /** Registered, enabled devices by the status they are shown with. */
  devices: () => Promise<Record<'online' | 'offline', number>>
  onError: (err: Error) => void
}

/** The installation's devices by shown status, read from the database at scrape time (take max across instances). */
export function registerDeviceGauge(registry: Registry, source: DeviceGaugeSource) {
  const gauge = new Gauge({
    name: 'wh_devices',
    help: 'Registered, enabled devices by the status they are shown with (offline: last will, or not heard from within DEVICE_OFFLINE_AFTER_SECONDS)',
    labelNames: ['status'] as const,
    registers: [registry],
    collect: guarded(source.onError)(async () => {
      const counts = await source.devices()
      for (const status of ['online', 'offline'] as const) gauge.set({ status }, counts[status])
    }),
  })
}
