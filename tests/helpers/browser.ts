import axe from 'axe-core'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium, headless, with nothing that phones home (this network refuses it). */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM)
}

/** What the floor screen's stock table shows: on hand, available and per-location on hand by SKU. */
export function readStockTable(page: Page) {
  return page.$$eval('#stock-rows .row', (rows) =>
    Object.fromEntries(
      rows.map((tr) => {
        const cell = (col: string) => Number(tr.querySelector(`[data-col="${col}"]`)!.textContent)
        const locations = Object.fromEntries(
          [...tr.querySelectorAll<HTMLElement>('.loc')].map((chip) => [chip.dataset.location!, Number(chip.dataset.onHand)]),
        )
        return [(tr as HTMLElement).dataset.sku!, { onHand: cell('onHand'), available: cell('available'), locations }]
      }),
    ),
  )
}

/**
 * What axe-core finds wrong with the page as shown now (WCAG 2 A and AA rules), one line per
 * rule broken: `rule: how many elements (the first's selector)`, only those of `impacts` if given.
 * Empty when it passes.
 */
export async function accessibilityViolations(page: Page, impacts?: readonly string[]): Promise<string[]> {
  // Evaluated through the browser's debugging protocol, which the page's CSP does not govern.
  await page.evaluate(axe.source)
  return page.evaluate(async (impacts) => {
    const run = (window as unknown as { axe: typeof axe }).axe.run
    const result = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations
      .filter((v) => !impacts || impacts.includes(v.impact ?? ''))
      .map((v) => `${v.id}: ${v.nodes.length} (${String(v.nodes[0]?.target[0] ?? '')})`)
  }, impacts)
}
