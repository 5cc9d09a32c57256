import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { isDeepStrictEqual } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { HubApp } from '../../hub/src/app.ts'
import { accessibilityViolations, launchChromium, readStockTable } from '../helpers/browser.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { eventually } from '../helpers/eventually.ts'
import { seedFixture, seedSite, SITE, type Fixture } from '../helpers/fixtures.ts'
import { freePort } from '../helpers/free-port.ts'
import { startHubProcess, type HubProcess } from '../helpers/hub-process.ts'
import { openInspector, type Inspector } from '../helpers/inspect.ts'
import { TestDevice } from '../helpers/test-device.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const ARTIFACTS = new URL('../artifacts/', import.meta.url)
/** Pictures the docs show, taken by this test so they stay true to the page. */
const DOCS = new URL('../../docs/', import.meta.url)
/** A second warehouse with the same location codes, and a shipping lane whose stock is not available. */
const OTHER = 'site2'
const env = createTestEnv('screen')
let fixture: Fixture
let port: number
let served: HubProcess
/** Keeps ingesting and applying while the hub that serves the page restarts. */
let worker: HubApp
let inspect: Inspector
let devices: TestDevice[]
let browser: Browser
let page: Page
/** What the page logged as errors, e.g. a Content-Security-Policy refusal. */
const pageErrors: string[] = []

beforeAll(async () => {
  if (!existsSync(new URL('../../dashboard/dist/index.html', import.meta.url))) throw new Error('dashboard not built: run `npm run build`')
  fixture = await seedFixture(env, { products: 200, locations: 4, devices: 4 })
  port = await freePort()
  served = await startHubProcess(env, 'server', { HTTP_PORT: port, LIVE_HEARTBEAT_MS: 1000 })
  worker = await buildHub(env, { HUB_ROLES: 'ingest,worker' })
  inspect = await openInspector(env)
  devices = await Promise.all(fixture.devices.map((id) => TestDevice.connect(env, id)))
  await scan(fixture.skus.slice(0, 40).map((sku, i) => ({ type: 'receive', sku, location: fixture.locations[i % 4]!, qty: 10 + i })))
  // Each product's own reorder threshold: P-1 (10 available) is low at 25, P-2 (11) is not at 5.
  await inspect.db.query(
    'UPDATE products SET reorder_threshold = CASE sku WHEN ? THEN 25 WHEN ? THEN 5 ELSE 0 END',
    fixture.skus.slice(0, 2),
  )
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()))
  page.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`))
})

afterAll(async () => {
  await browser?.close()
  await Promise.all((devices ?? []).map((d) => d.close()))
  await served?.stop()
  await worker?.close()
  await inspect?.close()
  await env.cleanup()
})

type Scan = { type: 'receive' | 'pick'; sku: string; location: string; qty: number }

/** Publishes the scans spread over the devices, without waiting in between, then waits for every ack. */
async function scan(scans: Scan[]) {
  const before = devices.map((d) => d.acks.length)
  const mine = devices.map((_, i) => scans.filter((_, j) => j % devices.length === i))
  await Promise.all(
    devices.map(async (d, i) => {
      for (const s of mine[i]!) await d.publish(d.event({ type: s.type, barcode: s.sku, location: s.location, qty: s.qty }))
    }),
  )
  await Promise.all(devices.map((d, i) => d.waitFor((acks) => acks.length >= before[i]! + mine[i]!.length, 60_000)))
}

/** The database as the stock table of a site's screen should show it. */
async function expectedTable(site: string) {
  const table: Record<string, { onHand: number; available: number; locations: Record<string, number> }> = {}
  for (const sku of fixture.skus) table[sku] = { onHand: 0, available: 0, locations: {} }
  for (const [sku, stock] of Object.entries(await inspect.siteStock(site))) {
    const locations = Object.entries(stock.locations).filter(([, l]) => l.onHand !== 0)
    table[sku] = {
      onHand: stock.onHand,
      available: stock.available,
      locations: Object.fromEntries(locations.map(([code, l]) => [code, l.onHand])),
    }
  }
  return table
}

/** Rows where the page and the database differ, as `sku: page vs database`. */
async function differences(site = SITE) {
  const [shown, expected] = [await readStockTable(page), await expectedTable(site)]
  const skus = [...new Set([...Object.keys(shown), ...Object.keys(expected)])]
  return skus
    .filter((sku) => !isDeepStrictEqual(shown[sku], expected[sku]))
    .map((sku) => `${sku}: ${JSON.stringify(shown[sku])} vs ${JSON.stringify(expected[sku])}`)
}

async function pageMatchesDatabase(timeoutMs = 10_000, site = SITE) {
  await eventually('the page to equal the database', async () => (await differences(site)).length === 0, timeoutMs).catch(async () => {
    expect(await differences(site)).toEqual([])
  })
}

const connectionState = () => page.getAttribute('#connection', 'data-state')

describe('the floor screen in Chromium', () => {
  it('asks for an API key, refuses one the hub does not accept, and connects with a viewer key', async () => {
    await page.goto(`http://127.0.0.1:${port}/`)
    await page.waitForSelector('#key-dialog[open]')
    await page.fill('#key-input', `whk_000000000000_${'a'.repeat(43)}`)
    await page.click('#key-form button')
    await page.waitForSelector('#key-message.bad')
    expect(await page.textContent('#key-message')).toContain('does not accept')
    await page.fill('#key-input', fixture.keys.metrics)
    await page.click('#key-form button')
    await page.waitForFunction(() => document.querySelector('#key-message')?.textContent?.includes('metrics'))
    await page.fill('#key-input', fixture.keys.viewer)
    await page.click('#key-form button')
    await page.waitForSelector('#key-dialog', { state: 'hidden' })
    await page.waitForSelector('#connection[data-state="live"]')
    // Kept for the tab's session: a reload does not ask again.
    await page.reload()
    await page.waitForSelector('#connection[data-state="live"]')
    expect(await page.isVisible('#key-dialog')).toBe(false)
    // The hub's Content-Security-Policy lets the page run as built, and nothing threw.
    expect(pageErrors.filter((e) => /Content Security Policy|Refused to|uncaught/.test(e))).toEqual([])
  })

  it('loads the snapshot: every catalog product, equal to the database, low stock by its own threshold', async () => {
    await page.waitForSelector('#connection[data-state="live"]')
    expect(await page.locator('#stock-rows .row').count()).toBe(fixture.skus.length)
    await pageMatchesDatabase(2000)
    expect(await page.textContent(`.row[data-sku="${fixture.skus[0]}"] [data-col="name"]`)).toBe(`Product ${fixture.skus[0]}`)
    await expect(page.locator('#devices .tile').count()).resolves.toBe(fixture.devices.length)
    const classes = (sku: string) => page.getAttribute(`.row[data-sku="${sku}"]`, 'class')
    expect(await classes(fixture.skus[0]!)).toContain('low')
    expect(await classes(fixture.skus[1]!)).not.toContain('low')
    expect(await classes(fixture.skus[100]!)).toContain('out')
  })

  it('shows a scan published over MQTT within 1 s', async () => {
    const sku = fixture.skus[3]!
    const cell = `.row[data-sku="${sku}"] [data-col="onHand"]`
    const expected = Number(await page.textContent(cell)) + 7
    const device = devices[0]!
    await device.publish(device.event({ type: 'receive', barcode: sku, location: fixture.locations[1]!, qty: 7 }))
    await page.waitForFunction(
      ([selector, value]) => document.querySelector(selector)?.textContent === value,
      [cell, String(expected)] as const,
      {
        timeout: 1000,
      },
    )
    await page.waitForSelector(`#activity .item:has-text("${sku}")`, { timeout: 2000 })
  })

  it('goes reconnecting when its hub restarts, then live, equal to the database without a reload', async () => {
    await page.evaluate(() => Object.assign(window, { loadedOnce: true }))
    await served.stop()
    await page.waitForSelector('#connection:not([data-state="live"])', { timeout: 5000 })
    expect(['reconnecting', 'offline']).toContain(await connectionState())
    // Stock keeps moving while the screen is cut off: the other instance applies these.
    await scan(fixture.skus.slice(40, 80).map((sku, i) => ({ type: 'receive', sku, location: fixture.locations[i % 4]!, qty: 3 })))
    served = await startHubProcess(env, 'server', { HTTP_PORT: port, LIVE_HEARTBEAT_MS: 1000 })
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 })
    await pageMatchesDatabase()
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true)
  })

  it('ends equal to the database after a burst of 5,000 events', async () => {
    let n = 0
    const burst = Array.from({ length: 5000 }, (): Scan => {
      const i = n++
      return {
        type: i % 3 === 2 ? 'pick' : 'receive',
        sku: fixture.skus[(i * 7) % fixture.skus.length]!,
        location: fixture.locations[i % 4]!,
        qty: 1 + (i % 5),
      }
    })
    await scan(burst)
    await pageMatchesDatabase()
    expect(await connectionState()).toBe('live')
    await mkdir(ARTIFACTS, { recursive: true })
    // The picture for the README once the change highlights have faded.
    await page.waitForFunction(() => document.querySelectorAll('#stock-rows .row.changed').length === 0, undefined, { timeout: 5000 })
    await page.screenshot({ path: new URL('dashboard-dark.png', ARTIFACTS).pathname })
    await page.click('#theme')
    await page.screenshot({ path: new URL('dashboard-light.png', ARTIFACTS).pathname })
  })

  it('switched between two sites shows each site’s own figures, chosen from the keyboard, kept in the address', async () => {
    await seedSite(env, {
      code: OTHER,
      locations: [{ code: fixture.locations[0]! }, { code: fixture.locations[1]! }, { code: 'SHIP', zone: 'shipping', reservable: false }],
      devices: ['E-1'],
    })
    // The same location codes as site1, other quantities; every third product only on the shipping lane.
    const there = await TestDevice.connect(env, 'E-1', OTHER)
    const spots = [fixture.locations[0]!, fixture.locations[1]!, 'SHIP']
    try {
      const events = fixture.skus
        .slice(0, 30)
        .map((sku, i) => there.event({ type: 'receive', barcode: sku, location: spots[i % 3]!, qty: 100 + i }))
      // And one oversized pick, held for an admin: on this site's screen only.
      events.push(there.event({ type: 'pick', barcode: fixture.skus[0]!, location: spots[0]!, qty: 100_000 }))
      for (const e of events) await there.publish(e)
      await there.waitFor((acks) => acks.length >= events.length, 30_000)
    } finally {
      await there.close()
    }
    await page.click('#theme') // back to the dark floor theme
    await page.goto(`http://127.0.0.1:${port}/?site=${SITE}`)
    await page.waitForSelector('#connection[data-state="live"]')
    await pageMatchesDatabase(5000, SITE)
    expect(await page.$$eval('#site option', (options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([SITE, OTHER])
    expect(await page.textContent('label[for="site"]')).toBe('Site')

    // One key press on the focused picker switches the whole screen to the other site.
    await page.focus('#site')
    await page.keyboard.press('ArrowDown')
    await page.waitForURL((url) => url.searchParams.get('site') === OTHER)
    await page.waitForSelector('#connection[data-state="live"]')
    await pageMatchesDatabase(5000, OTHER)
    const shippedOnly = fixture.skus[2]!
    const cell = (col: string) => page.textContent(`.row[data-sku="${shippedOnly}"] [data-col="${col}"]`)
    expect([await cell('onHand'), await cell('available')]).toEqual(['102', '0'])
    expect(await page.getAttribute(`.row[data-sku="${shippedOnly}"] .loc[data-location="SHIP"]`, 'class')).toContain('unavailable')
    expect(await page.title()).toContain(OTHER)
    await expect(page.locator('#devices .tile').count()).resolves.toBe(1)
    // The held list and its count are the site's own.
    await page.waitForFunction(() => document.querySelector('#held-count')?.textContent === '1', undefined, { timeout: 5000 })
    expect(await page.$$eval('#held li strong', (names) => names.map((n) => n.textContent))).toEqual(['E-1'])
    expect(await accessibilityViolations(page)).toEqual([])
    await page.waitForFunction(() => document.querySelectorAll('#stock-rows .row.changed').length === 0, undefined, { timeout: 5000 })
    await page.screenshot({ path: new URL('dashboard-sites.png', DOCS).pathname })

    // Back returns to the first site, as a bookmark or a reload of its address would.
    await page.goBack()
    await page.waitForURL((url) => url.searchParams.get('site') === SITE)
    await page.waitForSelector('#connection[data-state="live"]')
    await pageMatchesDatabase(5000, SITE)
    expect(await page.inputValue('#site')).toBe(SITE)
    const [pendingHere] = await inspect.rows<{ n: number }>(
      `SELECT COUNT(*) AS n FROM held_events WHERE status = 'pending' AND JSON_VALUE(payload, '$.site') = ?`,
      [SITE],
    )
    await page.waitForFunction((n) => document.querySelector('#held-count')?.textContent === n, String(pendingHere!.n), { timeout: 5000 })
    expect(await page.$$eval('#held li strong', (names) => names.map((n) => n.textContent))).not.toContain('E-1')

    // A 5-inch handheld: the same screen, nothing wider than the display.
    await page.setViewportSize({ width: 360, height: 740 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(await accessibilityViolations(page)).toEqual([])
    await page.screenshot({ path: new URL('dashboard-handheld.png', DOCS).pathname })
    expect(pageErrors.filter((e) => /Content Security Policy|Refused to|uncaught/.test(e))).toEqual([])
  })
})
