import type { Ack, AckStatus } from '@wh/shared'

export interface FleetSnapshot {
  sent: number
  /** Scans the client refused (outbox full); never sent. */
  refused: number
  outcomes: Record<AckStatus, number>
  rejectedByCode: Record<string, number>
  inFlight: number
  resends: number
  eventsPerSecond: number
  latencyMs: { p50: number; p99: number; max: number }
  elapsedMs: number
}

/** The value below which a share `p` of the sorted values lie. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0

/** Counters of a simulator run, and the ack rate over the last few seconds for the progress line. */
export function createFleetStats(now: () => number = Date.now) {
  const started = now()
  const outcomes: Record<AckStatus, number> = { applied: 0, duplicate: 0, held: 0, rejected: 0 }
  const rejectedByCode: Record<string, number> = {}
  const latencies: number[] = []
  const recentAcks: number[] = []
  let sent = 0
  let refused = 0
  let resends = 0
  return {
    scanned: () => void sent++,
    refusedScan: () => void refused++,
    resent: (events: number) => void (resends += events),
    /** Counts what happened to the event: a `duplicate` answer says how it was settled before. */
    settled(ack: Ack, latencyMs: number) {
      const status = ack.status === 'duplicate' && ack.settledAs ? ack.settledAs : ack.status
      outcomes[status]++
      if (status === 'rejected') rejectedByCode[ack.code ?? 'UNKNOWN'] = (rejectedByCode[ack.code ?? 'UNKNOWN'] ?? 0) + 1
      latencies.push(latencyMs)
      recentAcks.push(now())
    },
    snapshot(inFlight: number): FleetSnapshot {
      const t = now()
      while (recentAcks.length && recentAcks[0]! < t - 5000) recentAcks.shift()
      const window = Math.min(5000, Math.max(1, t - started))
      const sorted = [...latencies].sort((a, b) => a - b)
      return {
        sent,
        refused,
        outcomes: { ...outcomes },
        rejectedByCode: { ...rejectedByCode },
        inFlight,
        resends,
        eventsPerSecond: Math.round((recentAcks.length * 1000) / window),
        latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 },
        elapsedMs: t - started,
      }
    },
  }
}

export type FleetStats = ReturnType<typeof createFleetStats>
