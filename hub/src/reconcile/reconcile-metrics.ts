import { Counter, register } from 'prom-client'

/** Counters in the default registry, which /metrics serves beside the app's own; one set per process. */
function counter(name: string, help: string, labelNames: string[]) {
  return (register.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, labelNames })
}

export const reconcileMetrics = {
  runs: counter('wh_reconciliation_runs_total', 'Reconciliation runs finished, by scope and status', ['scope', 'status']),
  discrepancies: counter('wh_reconciliation_discrepancies_total', 'Discrepancies reconciliation found, by check', ['check']),
  corrections: counter('wh_reconciliation_corrections_total', 'Discrepancies reconciliation corrected, by check', ['check']),
}
