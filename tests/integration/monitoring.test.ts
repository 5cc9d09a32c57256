import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { parsePrometheusText, sumOf, type Family } from '../helpers/prometheus-text.ts'
import { asPromql, headingAnchors, metricNamesIn, panelsOf, type GrafanaPanel } from '../helpers/monitoring-files.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(`${ROOT}/${path}`, 'utf8')

/** Series Prometheus makes itself, not the hub. */
const PROMETHEUS_OWN = new Set(['up'])
const SEVERITIES = new Set(['critical', 'warning', 'info'])
const ROWS = ['Pipeline', 'Devices', 'Orders and API', 'Webhooks', 'Reconciliation', 'Process']

interface Rule {
  alert?: string
  record?: string
  expr: string
  for?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

/** promtool's path: not an npm package; scripts/install.sh takes it from Debian's prometheus package. */
const promtool = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
})()

// No scheduled reconciliation: the test runs one itself and counts it.
const s = useScenario('monitoring', {
  products: 2,
  locations: 1,
  devices: 1,
  hubs: [{ RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0 }],
})

/** The hub's exposition after some traffic: a stock check, a scan, an unknown URL, probes and a reconciliation. */
let exported: Map<string, Family>
const unknownPath = `/api/no-such-${randomUUID()}`

/** The family a selected name belongs to: itself, or a histogram's series (_bucket, _sum, _count). */
function familyOf(name: string): Family | undefined {
  const base = name.replace(/_(bucket|sum|count)$/, '')
  return exported.get(name) ?? (['histogram', 'summary'].includes(exported.get(base)?.type ?? '') ? exported.get(base) : undefined)
}

function unexported(names: string[]) {
  return names.filter((n) => !PROMETHEUS_OWN.has(n) && !familyOf(n))
}

describe('monitoring: alert rules and dashboard against what the hub exports', () => {
  it('exports HTTP request metrics by route pattern, and reconciliation counters by outcome', async () => {
    const { fixture, hubs, devices, inspect } = s
    const hub = hubs[0]!
    const check = await hub.inject({
      method: 'POST',
      url: '/api/stock/check',
      headers: bearer(fixture.keys.orders),
      payload: { site: SITE, items: [{ sku: fixture.skus[0], qty: 1 }] },
    })
    expect(check.statusCode).toBe(200)
    const device = devices[0]!
    const [ack] = await device.send([device.event({ type: 'receive', barcode: fixture.skus[0]!, location: fixture.locations[0]!, qty: 3 })])
    expect(ack).toMatchObject({ status: 'applied' })
    expect((await hub.inject({ url: unknownPath, headers: bearer(fixture.keys.admin) })).statusCode).toBe(404)
    expect((await hub.inject('/health')).statusCode).toBe(200)

    // Drift for a dry run to find: counted as found, not corrected.
    await inspect.db.query('UPDATE stock_levels SET on_hand = on_hand + 2')
    const run = await hub.reconciliation.runner.run({ scope: 'full', dryRun: true, trigger: 'cli' })
    expect(run.discrepancies).toBeGreaterThan(0)

    const scrape = await hub.inject({ url: '/metrics', headers: bearer(fixture.keys.metrics) })
    expect(scrape.statusCode).toBe(200)
    exported = parsePrometheusText(scrape.body)

    const http = exported.get('http_request_duration_seconds')
    expect(http?.type).toBe('histogram')
    const routes = new Set(http!.samples.map((x) => `${x.labels.method} ${x.labels.route} ${x.labels.status_code}`))
    expect(routes).toContain('POST /api/stock/check 200')
    // The pattern, never the URL; made-up paths, probes and the scrape add no series.
    for (const r of routes) expect(r).not.toMatch(/no-such|\/health|\/ready|\/metrics/)
    expect(http!.samples.every((x) => /^[1-5]\d\d$/.test(x.labels.status_code!))).toBe(true)

    expect(sumOf(exported, 'wh_reconcile_runs_total', { scope: 'full', status: 'done' })).toBe(1)
    expect(sumOf(exported, 'wh_reconcile_discrepancies_total', { outcome: 'dry-run' })).toBe(run.discrepancies)
    expect(sumOf(exported, 'wh_reconcile_discrepancies_total', { outcome: 'corrected' })).toBe(0)
    // Alerts see the first finding: every outcome's series is there, at 0, before it.
    expect(exported.get('wh_reconcile_discrepancies_total')!.samples.some((x) => x.labels.outcome === 'needs-admin')).toBe(true)
  })

  it('alerts.yml: valid groups and rules, each with a severity, a summary and a runbook heading that exists', () => {
    const { groups } = parseYaml(read('monitoring/alerts.yml')) as { groups: { name: string; rules: Rule[] }[] }
    expect(groups.length).toBeGreaterThan(0)
    expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length)
    const anchors = headingAnchors(read('docs/operations.md'))
    const alerts = groups.flatMap((g) => g.rules)
    expect(alerts.every((r) => r.alert && !r.record)).toBe(true)
    expect(new Set(alerts.map((r) => r.alert)).size).toBe(alerts.length)
    const missing: string[] = []
    for (const rule of alerts) {
      const at = rule.alert!
      expect(rule.alert, at).toMatch(/^Wh[A-Za-z]+$/)
      if (rule.for !== undefined) expect(rule.for, at).toMatch(/^(\d+[smhdwy])+$/)
      expect(SEVERITIES.has(rule.labels?.severity ?? ''), at).toBe(true)
      expect(rule.annotations?.summary, at).toBeTruthy()
      expect(rule.annotations?.description, at).toBeTruthy()
      const runbook = /^docs\/operations\.md#([a-z0-9-]+)$/.exec(rule.annotations?.runbook_url ?? '')
      expect(runbook && anchors.has(runbook[1]!), `${at}: ${rule.annotations?.runbook_url}`).toBe(true)
      const names = metricNamesIn(rule.expr)
      expect(names.length, at).toBeGreaterThan(0)
      missing.push(...[...new Set(unexported(names))].map((n) => `${at}: ${n}`))
    }
    expect(missing, 'alerts selecting metrics the hub does not export').toEqual([])
  })

  it('grafana-dashboard.json: current schema, a datasource variable, its rows, and panels that query exported metrics', () => {
    const dashboard = JSON.parse(read('monitoring/grafana-dashboard.json')) as {
      schemaVersion: number
      uid: string
      panels: GrafanaPanel[]
      templating: { list: { name: string; type: string; query: unknown; definition?: string }[] }
    }
    // 42: the last version of Grafana's classic dashboard model, which every Grafana since 11 imports.
    expect(dashboard.schemaVersion).toBe(42)
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/)
    const variables = dashboard.templating.list
    expect(variables).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }))
    for (const v of variables.filter((x) => x.type === 'query')) {
      const selector = /^label_values\((.+),\s*\w+\)$/.exec(v.definition ?? '')
      expect(selector, v.name).not.toBeNull()
      expect(unexported(metricNamesIn(selector![1]!)), v.name).toEqual([])
    }

    const panels = panelsOf(dashboard)
    expect(panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual(ROWS)
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length)
    const used = new Set<string>()
    const missing: string[] = []
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      const at = panel.title ?? String(panel.id)
      expect(panel.datasource, at).toEqual({ type: 'prometheus', uid: '${datasource}' })
      expect(panel.gridPos!.x + panel.gridPos!.w, at).toBeLessThanOrEqual(24)
      expect(panel.targets?.length, at).toBeGreaterThan(0)
      for (const target of panel.targets!) {
        const names = metricNamesIn(asPromql(target.expr!))
        missing.push(...[...new Set(unexported(names))].map((n) => `${at}: ${n}`))
        for (const n of names) used.add(familyOf(n)?.name ?? n)
      }
    }
    expect(missing, 'panels querying metrics the hub does not export').toEqual([])
    // Every metric of the hub's own has a panel.
    const hubOwn = [...exported.keys()].filter((n) => n.startsWith('wh_'))
    expect(hubOwn.filter((n) => !used.has(n))).toEqual([])
  })

  it('promtool accepts the rules and passes their unit tests', () => {
    if (!promtool) throw new Error('promtool is not on PATH: run scripts/install.sh as root (Debian), or install Prometheus')
    execFileSync(promtool, ['check', 'rules', 'monitoring/alerts.yml'], { cwd: ROOT, stdio: 'pipe' })
    execFileSync(promtool, ['test', 'rules', 'monitoring/alerts.test.yml'], { cwd: ROOT, stdio: 'pipe' })
  })
})
