import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { ActivityMessage } from '@wh/shared/live/live-messages.ts'

const MINUTES = 60

/**
 * Events settled per minute over the last hour, as bars: the history comes with the subscribe,
 * the current minute grows with each activity message, and the chart redraws at most once a second.
 */
export class EventsPerMinuteChart {
  private minutes: number[] = []
  private counts: number[] = []
  private readonly plot: uPlot
  private pending = false

  constructor(root: HTMLElement) {
    const css = getComputedStyle(document.documentElement)
    const accent = css.getPropertyValue('--accent').trim() || '#4ea1ff'
    this.plot = new uPlot(
      {
        width: root.clientWidth || 360,
        height: 140,
        legend: { show: false },
        cursor: { show: false },
        axes: [
          {
            stroke: 'currentColor',
            grid: { show: false },
            values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toTimeString().slice(0, 5)),
          },
          { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, size: 60 },
        ],
        series: [{}, { fill: accent, stroke: accent, paths: uPlot.paths.bars!({ size: [0.8, 12] }), points: { show: false } }],
      },
      [[], []],
      root,
    )
    new ResizeObserver(() => this.plot.setSize({ width: root.clientWidth, height: 140 })).observe(root)
  }

  update(message: ActivityMessage) {
    if (message.perMinute) {
      this.minutes = message.perMinute.map((m) => Date.parse(m.minute) / 1000)
      this.counts = message.perMinute.map((m) => m.count)
    } else {
      const minute = Math.floor(Date.now() / 60_000) * 60
      if (this.minutes.at(-1) !== minute) {
        this.minutes.push(minute)
        this.counts.push(0)
      }
      this.counts[this.counts.length - 1]! += Object.values(message.byDevice).reduce((a, b) => a + b, 0)
      this.minutes = this.minutes.slice(-MINUTES)
      this.counts = this.counts.slice(-MINUTES)
    }
    if (this.pending) return
    this.pending = true
    setTimeout(() => {
      this.pending = false
      this.plot.setData([this.minutes, this.counts])
    }, 1000)
  }
}
