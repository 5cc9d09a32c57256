import { renderCpuSection } from './cpu-chart.ts'
import type { Figure } from './figures.ts'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/**
 * The bench as a picture: throughput bars (median, with a min-max whisker) for the hub against the
 * machine's ceilings; the latencies at 1,000 events/s (to the ack, to a floor screen) against
 * their 15 ms target and the latency floors of the parts alone; where each event's CPU goes; and
 * the 1,000-screen fan-out figures beneath.
 */
export function renderChart(figures: Figure[], cpu: string, cores: number, date: string): string {
  const by = (key: string) => figures.find((f) => f.key === key)!
  const throughput = ['mysql', 'mqtt', 'naive', 'hub', 'hot'].map(by)
  // The parts' own latency first (grey): what an event's path costs before the hub does anything.
  const latency = ['floorMqttP99', 'floorDbP99', 'latencyP50', 'latencyP99', 'screenP50', 'screenP99', 'fanoutP99'].map(by)
  const W = 800
  const barH = 26
  const left = 290
  const plotW = W - left - 110
  const maxT = Math.max(...throughput.map((f) => f.max), 10_000)
  const x = (v: number) => left + (v / maxT) * plotW
  const colour = (key: string) => (key === 'hub' || key === 'hot' ? '#2f7d32' : '#78909c')
  const bars = throughput
    .map((f, i) => {
      const y = 50 + i * (barH + 12)
      return `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${esc(f.label)}</text>
  <rect x="${left}" y="${y}" width="${x(f.median) - left}" height="${barH}" fill="${colour(f.key)}"/>
  <line x1="${x(f.min)}" x2="${x(f.max)}" y1="${y + barH / 2}" y2="${y + barH / 2}" stroke="#222"/>
  <text x="${x(f.max) + 6}" y="${y + 17}">${f.median.toLocaleString('en-US')}</text>`
    })
    .join('\n  ')
  const target = `<line x1="${x(10_000)}" x2="${x(10_000)}" y1="44" y2="${50 + 5 * (barH + 12)}" stroke="#c62828" stroke-dasharray="4 3"/>
  <text x="${x(10_000)}" y="40" text-anchor="middle" fill="#c62828">target 10,000/s</text>`
  const top = 50 + 5 * (barH + 12) + 40
  const maxL = Math.max(...latency.map((f) => f.max), 20)
  const lx = (v: number) => left + (v / maxL) * plotW
  const lbars = latency
    .map((f, i) => {
      const y = top + 20 + i * (barH + 12)
      return `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${esc(f.label)}</text>
  <rect x="${left}" y="${y}" width="${lx(f.median) - left}" height="${barH}" fill="${f.key.startsWith('floor') ? '#78909c' : '#1565c0'}"/>
  <line x1="${lx(f.min)}" x2="${lx(f.max)}" y1="${y + barH / 2}" y2="${y + barH / 2}" stroke="#222"/>
  <text x="${lx(f.max) + 6}" y="${y + 17}">${f.median} ms</text>`
    })
    .join('\n  ')
  const latencyBottom = top + 20 + latency.length * (barH + 12) + 36
  const cpuSection = renderCpuSection(figures, latencyBottom + 14, left, plotW, cores)
  const H = latencyBottom + 14 + cpuSection.height + 60
  const fanout = `1,000 screens at 1,000 events/s: ${by('fanoutMessages').median.toLocaleString('en-US')} messages/s delivered, hub RSS ${by('fanoutRss').median} MB (target 300 MB)`
  const page = `Floor-screen page, 1,000 products at 500 updates/s in Chromium: ${by('pageFps').median} frames/s, frame p99 ${by('pageFrameP99').median} ms`
  const num = (key: string) => by(key).median.toLocaleString('en-US')
  const ordering = `Ordering site: ${num('checkRate')} stock checks/s (p99 ${num('checkOpenP99')} ms at 2,000/s offered), ${num('reserveRate')} reservations/s by 200 buyers (p99 ${num('reserveP99')} ms)`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="13">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="12" y="22" font-size="15" font-weight="bold">Durable events/s: the hub against this machine's own ceilings</text>
  ${bars}
  ${target}
  <text x="12" y="${top + 8}" font-size="15" font-weight="bold">Latency: the parts alone at idle (grey), then at 1,000 events/s offered</text>
  ${lbars}
  <line x1="${lx(15)}" x2="${lx(15)}" y1="${top + 14}" y2="${latencyBottom - 36}" stroke="#c62828" stroke-dasharray="4 3"/>
  <text x="${lx(15)}" y="${latencyBottom - 20}" text-anchor="middle" fill="#c62828">target p99 15 ms</text>
  ${cpuSection.svg}
  <text x="12" y="${H - 54}">${esc(fanout)}</text>
  <text x="12" y="${H - 36}">${esc(page)}</text>
  <text x="12" y="${H - 18}">${esc(ordering)}</text>
  <text x="${W - 8}" y="${H - 4}" text-anchor="end" font-size="10" fill="#666">${esc(cpu)}, ${esc(date.slice(0, 10))}; bars: median of 3, whiskers: min-max</text>
</svg>
`
}
