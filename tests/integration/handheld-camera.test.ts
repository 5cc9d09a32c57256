import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.ts'
import { assertConsoleBuilt, openConsolePage, screenshotForDocs, seriousViolations, signInToConsole } from '../helpers/console-browser.ts'
import { eventually } from '../helpers/eventually.ts'
import { blankPng, gs1LabelPng, writeFakeVideo } from '../helpers/fake-camera.ts'
import { seedSite, SITE } from '../helpers/fixtures.ts'
import {
  assertHandheldBuilt,
  connection,
  deviceLedger,
  launchHandheld,
  pendingCount,
  receiveInto,
  shownOutcomes,
  untilPending,
  waitForOfflineReady,
  wedgeScan,
  type Handheld,
} from '../helpers/handheld.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl } from '../helpers/screen.ts'

const s = useScenario('handheld-camera', { products: 2, locations: 1, devices: 0 })
const hub = () => s.hubs[0]!
const DOCK = 'DOCK-01'
const DEVICE = 'HH-CAM1'
let dir: string
/** What the handheld's camera films; rewritten before each time it starts. */
let video: string
let browser: Browser
/** The console, where an admin registers and rotates the device. */
let desk: Page
let handheld: Handheld
/** The app's address: the hub's own, as the console's code names it. */
let url: string
const page = () => handheld.page

beforeAll(async () => {
  assertConsoleBuilt()
  assertHandheldBuilt()
  await seedSite(s.env, { code: SITE, locations: [{ code: DOCK }] })
  dir = await mkdtemp(path.join(tmpdir(), 'wh-handheld-camera-'))
  // Chromium checks the file when it starts: a blank frame until a test films something.
  video = await writeFakeVideo(
    await gs1LabelPng({ gtin: s.fixture.gtins[0]!, expiry: '2030-01-01', lot: 'X' }),
    path.join(dir, 'camera.y4m'),
  )
  browser = await launchChromium()
  desk = await signInToConsole(browser, hub(), 'ada', 'admin')
  desk.on('dialog', (dialog) => void dialog.accept())
  await openConsolePage(desk, 'Devices & keys')
  handheld = await launchHandheld(path.join(dir, 'profile'), { videoFile: video })
})

afterAll(async () => {
  await handheld?.close()
  await browser?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** Films the provisioning QR code the console shows now, as a handheld held up to the screen would. */
async function filmConsoleQrCode() {
  const code = desk.getByRole('img', { name: `Provisioning code of ${DEVICE}: scan it with the handheld` })
  await writeFakeVideo(await code.screenshot(), video)
  await desk.getByRole('button', { name: 'Done: it is stored' }).click()
}

describe('provisioning from the console', () => {
  it('reads the QR code of a newly registered device with the camera, and is ready to scan', async () => {
    await desk.getByLabel('Device id').fill(DEVICE)
    await desk.getByRole('button', { name: 'Register device' }).click()
    await filmConsoleQrCode()

    url = `${await httpUrl(hub())}/handheld/`
    await page().goto(url)
    await page().locator('button#scan-qr').click()
    await page().locator('button[data-workflow=receive]').waitFor()
    await page().locator('[data-testid=device-id]', { hasText: DEVICE }).waitFor()
    await waitForOfflineReady(page())
    await eventually('online', async () => (await connection(page())) === 'online')
  })
})

describe('a camera scan of a GS1-128 label', () => {
  it('is applied with its lot and expiry', async () => {
    const expiry = `${new Date().getFullYear() + 2}-06-30`
    await receiveInto(page(), DOCK)
    // Pointed at nothing first: the camera view as a picker sees it before a label is in it.
    await writeFakeVideo(blankPng(), video)
    await page().locator('button#camera').click()
    await eventually('the camera view playing', () =>
      page()
        .locator('dialog video')
        .evaluate((v: HTMLVideoElement) => v.readyState >= 2),
    )
    expect(await seriousViolations(page())).toEqual([])
    await screenshotForDocs(page(), 'handheld-camera')
    await page().locator('button#camera-close').click()

    await writeFakeVideo(await gs1LabelPng({ gtin: s.fixture.gtins[0]!, expiry, lot: 'L2406A' }), video)
    await page().locator('button#camera').click()
    await eventually('an applied outcome', async () => (await shownOutcomes(page())).some((o) => o.status === 'applied'))

    const lots = await s.inspect.rows<{ sku: string; location: string; lot_code: string; expiry: string; qty: number }>(
      `SELECT p.sku, l.code AS location, t.lot_code, DATE_FORMAT(t.expiry, '%Y-%m-%d') AS expiry, t.qty FROM lots t
       JOIN products p ON p.id = t.product_id JOIN locations l ON l.id = t.location_id`,
    )
    expect(lots).toEqual([{ sku: s.fixture.skus[0], location: DOCK, lot_code: 'L2406A', expiry, qty: 1 }])
  })
})

describe('a rotated secret', () => {
  const refused = () => page().locator('[data-testid=refused][data-code=BAD_SIGNATURE]')

  it('is shown plainly with the scans kept, also after the app is reopened, and once the new code is scanned they are applied', async () => {
    await desk.getByRole('button', { name: `Rotate secret of ${DEVICE}` }).click()
    await filmConsoleQrCode()

    // Still receiving at the dock, as when the camera scan above was made.
    const before = (await deviceLedger(s.inspect, DEVICE)).length
    for (let i = 0; i < 3; i++) await wedgeScan(page(), s.fixture.gtins[1]!)
    await refused().waitFor()
    await untilPending(page(), 3)
    expect(await seriousViolations(page())).toEqual([])
    await screenshotForDocs(page(), 'handheld-refused')
    await page().goto(url)
    await refused().waitFor()
    expect(await pendingCount(page())).toBe(3)

    await refused().locator('button#scan-new-code').click()
    await page().locator('button#scan-qr').click()
    await untilPending(page(), 0)
    expect(await page().locator('[data-testid=refused]').count()).toBe(0)
    const ledger = await deviceLedger(s.inspect, DEVICE)
    expect(ledger.slice(before).map((m) => m.qtyDelta)).toEqual([1, 1, 1])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('is shown when the app is opened with nothing pending, and locations can still be scanned', async () => {
    await desk.getByRole('button', { name: `Rotate secret of ${DEVICE}` }).click()
    await filmConsoleQrCode()
    await page().goto(url)
    await refused().waitFor({ timeout: 10_000 })
    await receiveInto(page(), DOCK)
  })
})
