/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: it throws on any
 * line a Prometheus server would refuse, and checks what the format promises about families
 * (one TYPE each, before and beside its samples) and histograms (cumulative buckets, +Inf = count).
 */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Family {
  name: string
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  help?: string
  samples: Sample[]
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`)
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  // Prometheus reads values with Go's ParseFloat, which takes NaN in any case; prom-client writes
  // an event-loop mean with no samples yet (a second scrape at once) as `Nan`.
  if (text.toLowerCase() === 'nan') return NaN
  const value = Number(text)
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || Number.isNaN(value)) throw new Error(`bad value in: ${line}`)
  return value
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {}
  LABEL.lastIndex = 0
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text)
    if (!m) throw new Error(`bad labels in: ${line}`)
    if (m[1]! in labels) throw new Error(`label ${m[1]} twice in: ${line}`)
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c))
    if (m[3] === '') break
  }
  return labels
}

/** The family a sample belongs to: itself, or a histogram's or summary's base name. */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  if (families.has(name)) return families.get(name)
  const base = name.replace(/_(bucket|sum|count)$/, '')
  const family = families.get(base)
  return family && (family.type === 'histogram' || family.type === 'summary') ? family : undefined
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  let current: Family | undefined
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line)
    if (meta) {
      const [, kind, name, rest = ''] = meta
      if (!new RegExp(`^${NAME}$`).test(name!)) throw new Error(`bad metric name in: ${line}`)
      const family = families.get(name!) ?? { name: name!, type: 'untyped' as const, samples: [] }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest) || families.get(name!)?.samples.length) throw new Error(`bad or late TYPE: ${line}`)
        if (family.type !== 'untyped' && families.has(name!)) throw new Error(`TYPE twice: ${line}`)
        family.type = rest as Family['type']
      } else family.help = rest
      families.set(name!, family)
      current = family
      continue
    }
    if (line.startsWith('#')) continue
    const m = SAMPLE.exec(line)
    if (!m) throw new Error(`not a sample line: ${line}`)
    const family = familyOf(m[1]!, families)
    if (!family) throw new Error(`sample without a TYPE: ${line}`)
    if (family !== current) throw new Error(`family ${family.name} is not contiguous: ${line}`)
    family.samples.push({ name: m[1]!, labels: m[2] ? parseLabels(m[2], line) : {}, value: parseValue(m[3]!, line) })
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family)
  return families
}

function checkHistogram(family: Family) {
  const series = new Map<string, { buckets: Sample[]; count?: number }>()
  for (const s of family.samples) {
    const { le, ...rest } = s.labels
    const key = JSON.stringify(rest)
    const entry = series.get(key) ?? { buckets: [] }
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`)
      entry.buckets.push(s)
    } else if (s.name.endsWith('_count')) entry.count = s.value
    series.set(key, entry)
  }
  for (const { buckets, count } of series.values()) {
    const les = buckets.map((b) => parseValue(b.labels.le!, b.name))
    if (les.at(-1) !== Infinity) throw new Error(`${family.name}: no +Inf bucket`)
    for (let i = 1; i < buckets.length; i++) {
      if (les[i]! <= les[i - 1]! || buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${family.name}: buckets not cumulative`)
    }
    if (buckets.at(-1)!.value !== count) throw new Error(`${family.name}: +Inf bucket ${buckets.at(-1)!.value} != count ${count}`)
  }
}

/** Sum of a family's samples named `name` whose labels include `match`. */
export function sumOf(families: Map<string, Family>, name: string, match: Record<string, string> = {}): number {
  const family = familyOf(name, families)
  if (!family) return 0
  return family.samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0)
}
