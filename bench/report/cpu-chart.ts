import { cpuBudgetUs, cpuKey, isProcessFigure } from './cpu-figures.ts'
import type { Figure } from './figures.ts'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
const COLOURS = ['#8d6e63', '#78909c', '#2f7d32', '#66bb6a', '#f9a825', '#c62828', '#5c6bc0']
const BAR_H = 26

/**
 * The CPU profile as a picture: one stacked bar per scenario, a segment per process (median
 * microseconds per event), against the budget that 10,000 events/s leaves on this machine's cores.
 * Returns the SVG fragment drawn from `top` and its height.
 */
export function renderCpuSection(figures: Figure[], top: number, left: number, plotW: number, cores: number) {
  const rows = (['a', 'b'] as const).map((scenario) => ({
    scenario,
    parts: figures.filter((f) => isProcessFigure(f.key, scenario)),
  }))
  // The table's total (the median of each rep's sum), so picture and table agree.
  const total = (scenario: 'a' | 'b') => figures.find((f) => f.key === cpuKey(scenario, 'total'))?.median
  const names = [...new Set(rows.flatMap((r) => r.parts.map((p) => p.key.split('.').slice(2).join('.'))))]
  if (names.length === 0) return { svg: '', height: 0 }
  const budget = cpuBudgetUs(cores)
  const maxUs = Math.max(budget, ...rows.map((r) => r.parts.reduce((s, p) => s + p.median, 0)))
  const x = (us: number) => left + (us / maxUs) * plotW
  const colour = (name: string) => COLOURS[names.indexOf(name) % COLOURS.length]!
  const bars = rows
    .filter((r) => r.parts.length > 0)
    .map((r, i) => {
      const y = top + 20 + i * (BAR_H + 12)
      let at = 0
      const segments = r.parts.map((p) => {
        const name = p.key.split('.').slice(2).join('.')
        const rect = `<rect x="${x(at)}" y="${y}" width="${x(at + p.median) - x(at)}" height="${BAR_H}" fill="${colour(name)}"><title>${esc(name)}: ${p.median} us</title></rect>`
        at += p.median
        return rect
      })
      const label = r.scenario === 'a' ? '(a) max sustained' : '(b) at 1,000 events/s'
      return `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${label}</text>
  ${segments.join('\n  ')}
  <text x="${x(at) + 6}" y="${y + 17}">${(total(r.scenario) ?? Math.round(at)).toLocaleString('en-US')} us</text>`
    })
    .join('\n  ')
  const barsBottom = top + 20 + rows.length * (BAR_H + 12)
  const legend = names
    .map((n, i) => {
      const lx = 12 + (i % 4) * 195
      const ly = barsBottom + 22 + Math.floor(i / 4) * 18
      return `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour(n)}"/><text x="${lx + 16}" y="${ly}">${esc(n)}</text>`
    })
    .join('\n  ')
  const legendRows = Math.ceil(names.length / 4)
  const hop = figures.find((f) => f.key === 'hopPaced')?.median
  const trips = figures.find((f) => f.key === cpuKey('b', 'trips'))?.median
  const tripsY = barsBottom + 22 + legendRows * 18 + 6
  // What (b)'s cost is made of: the price of waking another process, paid at every hop.
  const tripsLine =
    hop && trips
      ? `<text x="12" y="${tripsY}">A message to another process and back costs ${hop} us of CPU here (1 ms apart); (b) pays about ${trips} of them per event.</text>`
      : ''
  const svg = `<text x="12" y="${top + 8}" font-size="15" font-weight="bold">CPU per event, by process (everything on the same ${cores} cores)</text>
  ${bars}
  <line x1="${x(budget)}" x2="${x(budget)}" y1="${top + 14}" y2="${barsBottom - 6}" stroke="#c62828" stroke-dasharray="4 3"/>
  <text x="${x(budget)}" y="${barsBottom + 4}" text-anchor="middle" fill="#c62828">10,000 events/s budget: ${budget} us</text>
  ${legend}
  ${tripsLine}`
  return { svg, height: barsBottom - top + 22 + legendRows * 18 + 10 + (tripsLine ? 20 : 0) }
}
