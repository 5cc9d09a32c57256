import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import { LiveClient } from '@wh/shared/live'
import { SITE } from '../../helpers/fixtures.ts'
import type { Inspector } from '../../helpers/inspect.ts'

/** A floor screen of the fixture's site as the dashboard runs one (the shared LiveClient, a viewer key), on a hub process's address. */
export async function openScreen(hubUrl: string, apiKey: string): Promise<LiveClient> {
  const client = new LiveClient({
    url: `${hubUrl.replace(/^http/, 'ws')}/live?site=${SITE}`,
    apiKey,
    open: (u, protocols) => new WebSocket(u, protocols),
    initialBackoffMs: 100,
    maxBackoffMs: 1000,
    offlineAfter: 1_000_000, // a fault test's screen keeps trying through every outage
  })
  client.start()
  const deadline = Date.now() + 10_000
  while (client.state !== 'live') {
    if (Date.now() > deadline) throw new Error(`screen on ${hubUrl} did not go live`)
    await sleep(50)
  }
  return client
}

/** What a screen shows of a level: on hand, and what orders could still reserve there. */
const figures = (l: { onHand: number; available: number }) => `on hand ${l.onHand}, available ${l.available}`

const screenView = (client: LiveClient) => {
  const out = new Map<string, string>()
  for (const stock of client.view.stock.values())
    for (const [loc, l] of Object.entries(stock.locations)) if (l.onHand !== 0) out.set(`${stock.sku}@${loc}`, figures(l))
  return out
}

/**
 * I5: within `withinMs` of quiet, every screen shows what the database holds (on hand and
 * available per product and location; a level of zero may be absent). Returns the differences
 * still left after that.
 */
export async function screensConverge(screens: LiveClient[], inspect: Inspector, withinMs = 2000): Promise<string[]> {
  const deadline = Date.now() + withinMs
  for (;;) {
    const truth = new Map<string, string>()
    for (const [sku, product] of Object.entries(await inspect.siteStock(SITE)))
      for (const [loc, l] of Object.entries(product.locations)) if (l.onHand !== 0) truth.set(`${sku}@${loc}`, figures(l))
    const problems: string[] = []
    screens.forEach((screen, i) => {
      const view = screenView(screen)
      for (const key of new Set([...truth.keys(), ...view.keys()]))
        if (truth.get(key) !== view.get(key))
          problems.push(
            `I5 screen ${i} (${screen.state}, seq ${screen.view.seq}) ${key}: shows ${view.get(key) ?? 'nothing'}, database ${truth.get(key) ?? 'nothing'}`,
          )
    })
    if (problems.length === 0 || Date.now() >= deadline) return problems.slice(0, 30)
    await sleep(100)
  }
}
