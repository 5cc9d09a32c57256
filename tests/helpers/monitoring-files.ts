import { parser } from '@prometheus-io/lezer-promql'
import GithubSlugger from 'github-slugger'

/**
 * Reading the monitoring files as Prometheus and Grafana would: PromQL through the Prometheus
 * project's own grammar (the one its web UI uses), Markdown headings through GitHub's anchor rules.
 */

/** The metric names an expression selects; throws, naming the place, when it does not parse. */
export function metricNamesIn(expr: string): string[] {
  const tree = parser.parse(expr)
  const names: string[] = []
  const text = (from: number, to: number) => expr.slice(from, to)
  const cursor = tree.cursor()
  do {
    if (cursor.type.isError) throw new Error(`PromQL does not parse at ${cursor.from}: ${expr.slice(0, cursor.from)} ⟨here⟩`)
    const node = cursor.node
    if (cursor.name === 'VectorSelector') {
      const identifier = node.getChild('Identifier')
      if (identifier) names.push(text(identifier.from, identifier.to))
    }
    // {__name__="…"}: the name given as a label.
    if (cursor.name === 'UnquotedLabelMatcher') {
      const label = node.getChild('LabelName')
      const value = node.getChild('StringLiteral')
      if (label && value && text(label.from, label.to) === '__name__') names.push(JSON.parse(text(value.from, value.to)) as string)
    }
  } while (cursor.next())
  return names
}

/** Grafana's interval variables become a duration, so the query is PromQL as Prometheus gets it. */
export function asPromql(grafanaExpr: string): string {
  return grafanaExpr.replace(/\$__(rate_interval|interval|range)\b/g, '5m')
}

/** The anchors GitHub gives the headings of a Markdown file (code blocks skipped). */
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger()
  const anchors = new Set<string>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)
    if (heading) anchors.add(slugger.slug(heading[1]!.replace(/`/g, '')))
  }
  return anchors
}

interface GrafanaPanel {
  id?: number
  type: string
  title?: string
  datasource?: { type?: string; uid?: string }
  targets?: { expr?: string; refId?: string }[]
  panels?: GrafanaPanel[]
  gridPos?: { x: number; y: number; w: number; h: number }
}

/** Every panel of a dashboard, those inside collapsed rows too, in order. */
export function panelsOf(dashboard: { panels: GrafanaPanel[] }): GrafanaPanel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])])
}

export type { GrafanaPanel }
