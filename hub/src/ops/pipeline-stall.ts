import { Gauge, type Registry } from 'prom-client'

export interface StallSources {
  /** PIPELINE_STALL_SECONDS: an oldest waiting event older than this stalls its partition. */
  thresholdSeconds: number
  /** When the oldest event waiting in each partition's inbox was admitted (ms), by partition; null when none waits. */
  oldestWaiting: () => Promise<(number | null)[]>
  now?: () => number
}

export interface PartitionStall {
  partition: number
  /** Since the oldest waiting event's admission, to a tenth of a second. */
  ageSeconds: number
}

/** The age of each partition's oldest waiting event (null when none waits). */
async function ages(sources: StallSources): Promise<(number | null)[]> {
  const now = (sources.now ?? Date.now)()
  return (await sources.oldestWaiting()).map((at) => (at === null ? null : Math.max(0, now - at) / 1000))
}

const isStalled = (age: number | null, sources: StallSources): age is number => age !== null && age > sources.thresholdSeconds

/**
 * The partitions whose oldest waiting event has waited longer than the threshold: their drain
 * is not keeping up, or not running at all (no worker, a paused queue, a job stuck).
 */
export async function stalledPartitions(sources: StallSources): Promise<PartitionStall[]> {
  return (await ages(sources)).flatMap((age, partition) =>
    isStalled(age, sources) ? [{ partition, ageSeconds: Math.round(age * 10) / 10 }] : [],
  )
}

/**
 * `wh_partition_stalled{partition}`: 1 while the partition is stalled, else 0, read at scrape
 * time. Like the other partition gauges it is the installation's (every instance reports the
 * same: take max); a failed read keeps the last values.
 */
export function registerStallGauge(registry: Registry, sources: StallSources, onError: (err: Error) => void) {
  const stalled: Gauge<'partition'> = new Gauge({
    name: 'wh_partition_stalled',
    help: 'Whether the oldest event waiting in a partition inbox has waited longer than PIPELINE_STALL_SECONDS (1) or not (0)',
    labelNames: ['partition'] as const,
    registers: [registry],
    async collect() {
      try {
        const found = await ages(sources)
        found.forEach((age, p) => stalled.set({ partition: String(p) }, isStalled(age, sources) ? 1 : 0))
      } catch (err) {
        onError(err as Error)
      }
    },
  })
}
