import { Counter, Histogram, type Registry } from 'prom-client'
import { EventTypes, FindingSchema, ReasonCodes, ReconcileCheckSchema, ReconcileScopeSchema, type Ack, type Finding } from '@wh/shared'

const KNOWN_TYPES: ReadonlySet<string> = new Set(EventTypes)
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.keys(ReasonCodes))
/** A finding gone when re-checked (`resolved`) was no discrepancy: the run does not count it either. */
const DISCREPANCY_OUTCOMES = FindingSchema.properties.outcome.enum.filter((o) => o !== 'resolved')

/**
 * The hub's own metrics, on one registry per app: counters are per process (sum them across
 * instances), and every label value comes from a fixed list, so the series stay few. Counters
 * an alert watches start at 0 for every label value: Prometheus' increase() cannot see the first
 * count of a series that appears with it.
 */
export function createHubMetrics(registry: Registry) {
  // Counted per event in a plain map and added to the counter at scrape time: prom-client's own
  // inc() hashes the label set on every call (~1 µs), this costs a map lookup.
  const pending = new Map<string, { labels: Partial<Record<'type' | 'outcome' | 'code', string>>; n: number }>()
  const events: Counter<'type' | 'outcome' | 'code'> = new Counter({
    name: 'wh_events_total',
    help: 'Answers given to devices, by event type, outcome (the ack status) and, for held and rejected, reason code',
    labelNames: ['type', 'outcome', 'code'] as const,
    registers: [registry],
    collect() {
      for (const entry of pending.values()) {
        if (entry.n === 0) continue
        events.inc(entry.labels, entry.n)
        entry.n = 0
      }
    },
  })
  const ingestToCommit = new Histogram({
    name: 'wh_ingest_to_commit_seconds',
    help: "From an event's admission at ingest to the commit of the batch that settled it",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const drainFailures = new Counter({
    name: 'wh_drain_failures_total',
    help: 'Failed attempts to apply a partition batch: transient ones wait and retry, the others set an event aside',
    labelNames: ['transient'] as const,
    registers: [registry],
  })
  for (const transient of ['true', 'false']) drainFailures.inc({ transient }, 0)
  const setAside = new Counter({
    name: 'wh_events_set_aside_total',
    help: 'Events the database refused for good, set aside (held as APPLY_FAILED) so their partition goes on',
    registers: [registry],
  })
  const commitToSocket = new Histogram({
    name: 'wh_commit_to_socket_seconds',
    help: "From a delta's publish after its commit to its write to this instance's floor-screen sockets",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const reconcileRuns = new Counter({
    name: 'wh_reconcile_runs_total',
    help: 'Reconciliation runs this process finished, by scope and status (done, failed)',
    labelNames: ['scope', 'status'] as const,
    registers: [registry],
  })
  const reconcileDiscrepancies = new Counter({
    name: 'wh_reconcile_discrepancies_total',
    help: 'Discrepancies found by the reconciliation runs this process finished, by check and outcome (corrected, needs-admin, dry-run)',
    labelNames: ['check', 'outcome'] as const,
    registers: [registry],
  })
  for (const scope of ReconcileScopeSchema.enum) for (const status of ['done', 'failed']) reconcileRuns.inc({ scope, status }, 0)
  for (const check of ReconcileCheckSchema.enum)
    for (const outcome of DISCREPANCY_OUTCOMES) reconcileDiscrepancies.inc({ check, outcome }, 0)

  return {
    registry,
    /** Counts one ack; an event too broken to name a known type counts as `unknown`. */
    countAck(ack: Pick<Ack, 'status' | 'code'>, eventType: unknown) {
      const type = typeof eventType === 'string' && KNOWN_TYPES.has(eventType) ? eventType : 'unknown'
      const coded = ack.status === 'rejected' || ack.status === 'held'
      const code = coded && ack.code ? (KNOWN_CODES.has(ack.code) ? ack.code : 'OTHER') : undefined
      const key = `${type}|${ack.status}|${code ?? ''}`
      let entry = pending.get(key)
      if (!entry) {
        entry = { labels: code ? { type, outcome: ack.status, code } : { type, outcome: ack.status }, n: 0 }
        pending.set(key, entry)
      }
      entry.n++
    },
    /** Events settled by a batch that committed at `committedAt`, each admitted at `receivedAt` (ms). */
    committed(receivedAt: Iterable<number>, committedAt = Date.now()) {
      for (const at of receivedAt) ingestToCommit.observe((committedAt - at) / 1000)
    },
    /** One failed attempt to apply a batch. */
    drainFailed(transient: boolean) {
      drainFailures.inc({ transient: String(transient) })
    },
    /** Events set aside by a batch that committed. */
    setAside(n: number) {
      if (n > 0) setAside.inc(n)
    },
    /** Deltas published at `publishedAt` (ms, the publishing process's clock) now written to sockets. */
    delivered(publishedAt: Iterable<number>, writtenAt = Date.now()) {
      for (const at of publishedAt) commitToSocket.observe(Math.max(0, writtenAt - at) / 1000)
    },
    /**
     * One reconciliation run's tally: its discrepancies are noted as found and counted, with the
     * run, when it finishes, so the counters move with the run rows.
     */
    reconcileRun(scope: string) {
      const found = new Map<string, { labels: { check: string; outcome: string }; n: number }>()
      return {
        found(finding: Pick<Finding, 'check' | 'outcome'>) {
          const key = `${finding.check}|${finding.outcome}`
          const entry = found.get(key) ?? { labels: { check: finding.check, outcome: finding.outcome }, n: 0 }
          entry.n++
          found.set(key, entry)
        },
        finished(status: string) {
          reconcileRuns.inc({ scope, status })
          for (const { labels, n } of found.values()) reconcileDiscrepancies.inc(labels, n)
        },
      }
    },
  }
}

export type HubMetrics = ReturnType<typeof createHubMetrics>
