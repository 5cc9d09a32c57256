import { launchChromium } from '../../tests/helpers/browser.ts'

export interface PageFigures {
  framesPerSecond: number
  /** 99th percentile time between two frames. */
  frameP99Ms: number
  /** Main-thread time spent in tasks over 50 ms (the browser's "long tasks"). */
  longTaskMs: number
  rows: number
}

// Plain text, not a function: the bench runs under tsx, whose helpers a serialized function would name.
const PROBE = `
window.probe = { frames: [], longTaskMs: 0, running: true, started: performance.now() }
let last = probe.started
requestAnimationFrame(function tick(t) {
  probe.frames.push(t - last)
  last = t
  if (probe.running) requestAnimationFrame(tick)
})
new PerformanceObserver((list) => list.getEntries().forEach((e) => (probe.longTaskMs += e.duration))).observe({ type: 'longtask' })
`

/**
 * How smoothly the floor-screen page renders while `during` runs (it starts the load once the
 * page is live and counting): the page counts its own animation frames, long tasks and elapsed
 * time in a real headless Chromium.
 */
export async function measurePage<T>(pageUrl: string, apiKey: string, during: () => Promise<T>): Promise<PageFigures & { during: T }> {
  const browser = await launchChromium()
  try {
    // The probe is an inline script, which the hub's Content-Security-Policy refuses to pages.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, bypassCSP: true })
    // The key the page would ask for, already in the tab's session (the browser test fills the form).
    await page.addInitScript((key) => sessionStorage.setItem('wh.apiKey', key), apiKey)
    await page.goto(pageUrl)
    await page.waitForSelector('#connection[data-state="live"]')
    const rows = await page.locator('#stock-rows .row').count()
    await page.addScriptTag({ content: PROBE })
    const result = await during()
    const probe = await page.evaluate(() => {
      const p = (window as unknown as { probe: { frames: number[]; longTaskMs: number; running: boolean; started: number } }).probe
      p.running = false
      return { ...p, seconds: (performance.now() - p.started) / 1000 }
    })
    const frames = probe.frames.slice(1).sort((a, b) => a - b)
    return {
      during: result,
      framesPerSecond: Math.round(frames.length / probe.seconds),
      frameP99Ms: Math.round(frames[Math.floor(frames.length * 0.99)] ?? 0),
      longTaskMs: Math.round(probe.longTaskMs),
      rows,
    }
  } finally {
    await browser.close()
  }
}
