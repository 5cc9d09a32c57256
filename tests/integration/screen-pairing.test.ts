import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { PairingClaimAnswer, ScreenInfo, ScreenPairing } from '@wh/shared'
import { launchChromium, readStockTable } from '../helpers/browser.ts'
import { assertConsoleBuilt, openConsolePage, screenshotForDocs, seriousViolations, signInToConsole } from '../helpers/console-browser.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl } from '../helpers/screen.ts'

const s = useScenario('screen-pairing', { products: 3, locations: 2, devices: 1 })
const hub = () => s.hubs[0]!
let browser: Browser
let admin: Page
let screen: BrowserContext

beforeAll(async () => {
  if (!existsSync(new URL('../../dashboard/dist/index.html', import.meta.url))) throw new Error('dashboard not built: run `npm run build`')
  assertConsoleBuilt()
  const [device] = s.devices
  await device!.send(
    s.fixture.skus.map((sku, i) => device!.event({ type: 'receive', barcode: sku, location: s.fixture.locations[0]!, qty: 10 + i })),
  )
  browser = await launchChromium()
  admin = await signInToConsole(browser, hub(), 'ada', 'admin')
  admin.on('dialog', (dialog) => void dialog.accept())
  await openConsolePage(admin, 'Devices & keys')
  screen = await browser.newContext({ viewport: { width: 1280, height: 800 } })
})
afterAll(async () => browser?.close())

/** The code a screen shows, once it has one (`····-····` until then). */
async function shownCode(page: Page): Promise<string> {
  await page.waitForSelector('#key-dialog[open]')
  await page.waitForFunction(() => /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(document.querySelector('#pair-code')?.textContent ?? ''))
  return (await page.textContent('#pair-code'))!
}

async function pairInConsole(code: string, name: string) {
  await admin.getByLabel('Pairing code').fill(code)
  await admin.getByLabel('Screen name').fill(name)
  await admin.getByRole('button', { name: 'Pair screen' }).click()
  await admin.getByRole('status').getByText(`Paired ${name}`).waitFor()
}

/** Waits until the screen is live and its stock table equals the database. */
async function showsLiveStock(page: Page) {
  await page.waitForSelector('#key-dialog', { state: 'hidden' })
  await page.waitForSelector('#connection[data-state="live"]')
  const stock = await s.inspect.siteStock(SITE)
  await eventually('the screen to show the stock', async () => {
    const shown = await readStockTable(page)
    return s.fixture.skus.every((sku) => shown[sku]?.onHand === stock[sku]?.onHand)
  })
}

describe('a floor screen paired from the console', () => {
  let page: Page

  it('shows a pairing code in big letters until an admin pairs it, then live stock', async () => {
    page = await screen.newPage()
    await page.goto(`${await httpUrl(hub())}/`)
    const code = await shownCode(page)
    expect(await page.textContent('#pair-status')).toContain('Waiting for an admin')
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'screen-pairing')

    await pairInConsole(code.toLowerCase(), 'dock-2')
    await showsLiveStock(page)
    // Live: a scan shows without a reload.
    const [device] = s.devices
    const sku = s.fixture.skus[0]!
    const before = (await readStockTable(page))[sku]!.onHand
    await device!.send([device!.event({ type: 'receive', barcode: sku, location: s.fixture.locations[1]!, qty: 5 })])
    await page.waitForFunction(([selector, value]) => document.querySelector(selector)?.textContent === value, [
      `.row[data-sku="${sku}"] [data-col="onHand"]`,
      String(before + 5),
    ] as const)
  })

  it('keeps its key across a restart of the page: no pairing again', async () => {
    await page.close()
    page = await screen.newPage()
    await page.goto(`${await httpUrl(hub())}/`)
    await showsLiveStock(page)
    expect(await page.isVisible('#key-dialog')).toBe(false)
    await page.reload()
    await showsLiveStock(page)
  })

  it('is listed in the console and, once revoked there, goes back to showing a pairing code', async () => {
    const row = admin.getByRole('row', { name: /dock-2/ })
    await row.waitFor()
    await admin.getByRole('button', { name: 'Revoke screen dock-2' }).click()
    await row.getByText('revoked').waitFor()
    await shownCode(page)
    expect(await page.textContent('#key-message')).toContain('revoked')
    expect(await page.evaluate(() => localStorage.getItem('wh.screenKey'))).toBeNull()
    expect(await seriousViolations(page)).toEqual([])
  })

  it('still takes a key typed in by hand', async () => {
    await page.fill('#key-input', s.fixture.keys.viewer)
    await page.click('#key-form button')
    await showsLiveStock(page)
  })
})

describe('the pairing API', () => {
  let ana: PersonClient
  const post = async <T>(path: string, body?: unknown) => {
    const response = await fetch(`${await httpUrl(hub())}${path}`, {
      method: 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as T }
  }
  const ask = async () => (await post<ScreenPairing>('/api/screen-pairings')).body
  const claim = (p: ScreenPairing, secret = p.claim) =>
    post<PairingClaimAnswer & { code?: string }>('/api/screen-pairings/claim', { code: p.code, claim: secret })

  beforeAll(async () => {
    ana = await PersonClient.signIn(hub(), 'ada')
  })

  it('keeps the key sealed until the screen collects it, once, with its claim secret', async () => {
    const pairing = await ask()
    expect(await claim(pairing)).toMatchObject({ status: 200, body: { status: 'waiting' } })
    const paired = await ana.send<ScreenInfo>('POST', '/api/screens', { code: pairing.code, name: 'gate-1', site: SITE })
    expect(paired).toMatchObject({ status: 201, body: { name: 'gate-1', site: SITE } })
    expect((await ana.send('POST', '/api/screens', { code: pairing.code, name: 'gate-1b', site: SITE })).body).toMatchObject({
      code: 'PAIRING_TAKEN',
    })

    const [row] = await s.inspect.rows<{ sealed_key: string }>('SELECT sealed_key FROM screen_pairings WHERE code = ?', [pairing.code])
    expect((await claim(pairing, 'x'.repeat(43))).body).toMatchObject({ code: 'PAIRING_NOT_FOUND' })
    const collected = await claim(pairing)
    expect(collected.body).toMatchObject({ status: 'paired', name: 'gate-1', site: SITE })
    const key = (collected.body as { key: string }).key
    expect(row!.sealed_key).not.toContain(key)
    expect(hub().services.secretBox.unseal(row!.sealed_key, `screen-pairing:${pairing.code}`)).toBe(key)
    expect((await claim(pairing)).body).toMatchObject({ code: 'PAIRING_NOT_FOUND' })
    expect(await s.inspect.rows('SELECT code FROM screen_pairings WHERE code = ?', [pairing.code])).toEqual([])

    // A viewer key for that site only, audited under the admin who paired it.
    expect((await hub().inject({ url: '/api/keys/self', headers: bearer(key) })).json()).toMatchObject({ role: 'viewer', sites: [SITE] })
    expect((await hub().inject({ url: '/api/inventory?site=elsewhere', headers: bearer(key) })).statusCode).toBe(403)
    const audit = await s.inspect.rows<{ actor: string; after: string }>(
      "SELECT actor, `after` FROM audit_log WHERE entity = 'api_key' AND entity_id = ?",
      [String(paired.body.id)],
    )
    expect(audit).toMatchObject([{ actor: 'ada' }])
    expect(JSON.stringify(audit)).not.toContain(key)
  })

  it('refuses an expired code, and an unknown site, writing nothing', async () => {
    const pairing = await ask()
    expect((await ana.send('POST', '/api/screens', { code: pairing.code, name: 'gate-2', site: 'nowhere' })).body).toMatchObject({
      code: 'UNKNOWN_SITE',
    })
    await s.inspect.db.query('UPDATE screen_pairings SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE code = ?', [pairing.code])
    expect((await ana.send('POST', '/api/screens', { code: pairing.code, name: 'gate-2', site: SITE })).body).toMatchObject({
      code: 'PAIRING_NOT_FOUND',
    })
    expect((await claim(pairing)).body).toMatchObject({ code: 'PAIRING_NOT_FOUND' })
    expect(await s.inspect.rows("SELECT id FROM api_keys WHERE name = 'gate-2'")).toEqual([])
  })

  it('limits how many codes one address may ask for', async () => {
    const answers = await Promise.all(Array.from({ length: 31 }, () => post<{ code?: string }>('/api/screen-pairings')))
    expect(answers.filter((a) => a.status === 429)[0]?.body).toMatchObject({ code: 'RATE_LIMITED' })
  })
})
