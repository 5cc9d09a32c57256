import type { PartitionHealth, QueueHealth } from '@wh/shared'
import { DataTable } from '../../components.tsx'

/** A wait in words: seconds while short, minutes after. */
function waited(seconds: number | null): string {
  if (seconds === null) return 'none waiting'
  return seconds < 120 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`
}

/** A full bar's length (rem): fits beside its figure on a handheld. */
const BAR_REM = 10

/** The backlog a full bar stands for at least, so a handful of events never looks like a queue. */
const FULL_AT_LEAST = 10

/**
 * Each partition's backlog as a bar beside its figure, so a partition falling behind stands out
 * at a glance; the bars are scaled to the longest.
 */
export function Backlog({ partitions }: { partitions: readonly PartitionHealth[] }) {
  const scale = Math.max(FULL_AT_LEAST, ...partitions.map((p) => p.waiting))
  return (
    <DataTable
      caption="Events waiting per partition"
      rows={partitions}
      rowKey={(p) => p.partition}
      empty="No partitions."
      columns={[
        { label: 'Partition', cell: (p) => p.partition },
        {
          label: 'Waiting',
          cell: (p) => (
            <span class="bar-cell">
              <span class="bar" aria-hidden="true" style={{ inlineSize: `${(p.waiting / scale) * BAR_REM}rem` }} />
              <span>{p.waiting}</span>
            </span>
          ),
        },
        { label: 'Oldest waiting', cell: (p) => waited(p.oldestWaitingSeconds), numeric: true },
      ]}
    />
  )
}

/** Every queue's jobs by state; failed jobs are for an admin to look at in the queue view. */
export function Queues({ queues }: { queues: readonly QueueHealth[] }) {
  return (
    <DataTable
      caption="Jobs per queue"
      rows={queues}
      rowKey={(q) => q.name}
      empty="No queues."
      columns={[
        { label: 'Queue', cell: (q) => q.name },
        { label: 'Waiting', cell: (q) => q.waiting, numeric: true },
        { label: 'Active', cell: (q) => q.active, numeric: true },
        { label: 'Delayed', cell: (q) => q.delayed, numeric: true },
        { label: 'Failed', cell: (q) => (q.failed > 0 ? <strong class="problem">{q.failed}</strong> : 0), numeric: true },
      ]}
    />
  )
}
