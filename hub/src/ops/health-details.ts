import type { Queue } from 'bullmq'
import type { HealthDetails, Readiness, Run } from '@wh/shared'
import type { DeviceTile } from '@wh/shared/live'
import type { PartitionInbox } from '../partition/partition-inbox.ts'
import { within } from './readiness.ts'

/** How long each part may take before the page shows it as unknown: longer than a probe, as these read more. */
const PART_TIMEOUT_MS = 3000

export interface HealthSources {
  /** This process's readiness, stalled partitions included. */
  readiness: () => Promise<Readiness>
  /** The partition queues, in partition order; their inboxes hold the backlog. */
  partitionQueues: readonly Queue[]
  /** Every queue of the installation, the partitions' included. */
  queues: readonly Queue[]
  inbox: Pick<PartitionInbox, 'length' | 'oldestAdmitted'>
  devices: (site: string) => Promise<DeviceTile[]>
  lastRun: () => Promise<Run | undefined>
  queueView: string
  now?: () => number
}

/**
 * What the console's health page shows for `site`: the services and this process's readiness
 * warnings (a paused queue, a stalled partition), each partition's backlog and the age of its
 * oldest waiting event (what the wh_partition_* gauges report), every queue's jobs, the site's
 * devices and the last reconciliation run. A part whose source does not answer
 * is null, so the page still shows the rest, and which service is down.
 */
export async function healthDetails(sources: HealthSources, site: string): Promise<HealthDetails> {
  const now = sources.now ?? Date.now
  const part = <T>(work: () => Promise<T>) => within<T | null>(work, null, PART_TIMEOUT_MS)
  const [ready, partitions, queues, devices, lastRun] = await Promise.all([
    sources.readiness(),
    part(() =>
      Promise.all(
        sources.partitionQueues.map(async (_, partition) => {
          const [waiting, oldest] = await Promise.all([sources.inbox.length(partition), sources.inbox.oldestAdmitted(partition)])
          return { partition, waiting, oldestWaitingSeconds: oldest === null ? null : Math.max(0, now() - oldest) / 1000 }
        }),
      ),
    ),
    part(() =>
      Promise.all(
        sources.queues.map(async (queue) => {
          const n = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed')
          return { name: queue.name, waiting: n.waiting ?? 0, active: n.active ?? 0, delayed: n.delayed ?? 0, failed: n.failed ?? 0 }
        }),
      ),
    ),
    part(async () => {
      const items = await sources.devices(site)
      return { site, online: items.filter((d) => d.status === 'online').length, items }
    }),
    part(sources.lastRun),
  ])
  return {
    checkedAt: new Date(now()).toISOString(),
    services: ready.checks,
    roles: ready.roles,
    warnings: ready.warnings,
    partitions,
    queues,
    devices,
    lastReconciliation: lastRun ?? null,
    queueView: sources.queueView,
  }
}
