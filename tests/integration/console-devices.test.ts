import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import jsqr from 'jsqr'
import { parseProvisioning, type Ack, type DeviceProvisioning } from '@wh/shared'
import { launchChromium } from '../helpers/browser.ts'
import {
  assertConsoleBuilt,
  openConsolePage,
  screenshotForDocs,
  seriousViolations,
  signInToConsole,
  VIEWPORTS,
} from '../helpers/console-browser.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl } from '../helpers/screen.ts'
import { TestDevice } from '../helpers/test-device.ts'

// jsqr is CommonJS typed as an ES module: its function is the `default` member of what is imported.
const jsQR = jsqr.default
const s = useScenario('console-devices', { products: 2, locations: 1, devices: 0 })
const hub = () => s.hubs[0]!
let browser: Browser
let page: Page
const devices: TestDevice[] = []

beforeAll(async () => {
  assertConsoleBuilt()
  browser = await launchChromium()
  page = await signInToConsole(browser, hub(), 'ada', 'admin')
  // Rotating, disabling and revoking ask first; the admin says yes.
  page.on('dialog', (dialog) => void dialog.accept())
  await openConsolePage(page, 'Devices & keys')
})
afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()))
  await browser?.close()
})

/** The provisioning QR code the page shows for a device, read from its canvas as a camera would read the screen. */
async function scanQrCode(deviceId: string): Promise<DeviceProvisioning> {
  const canvas = page.getByRole('img', { name: `Provisioning code of ${deviceId}: scan it with the handheld` })
  const image = await canvas.evaluate((c: HTMLCanvasElement) => {
    const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
    return { width: pixels.width, height: pixels.height, data: Array.from(pixels.data) }
  })
  const code = jsQR(Uint8ClampedArray.from(image.data), image.width, image.height)
  expect(code, 'a readable QR code').not.toBeNull()
  const parsed = parseProvisioning(code!.data)
  if (!parsed.ok) throw new Error(`the QR code is not a provisioning payload: ${parsed.error}`)
  return parsed.value
}

const shownSecret = () => page.getByLabel('Signing secret').inputValue()

/** Publishes a receipt (signed with `secret` if given) and answers the next ack the device gets. */
async function receipt(device: TestDevice, secret?: string): Promise<Ack> {
  const before = device.acks.length
  const event = device.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 1 })
  await device.publish(event, undefined, secret ?? true)
  return (await device.waitFor((acks) => acks.length > before))[before]!
}

describe('devices in the console', () => {
  let first: DeviceProvisioning
  let device: TestDevice

  it('registers a device and shows its secret once, as text and as a QR code a handheld provisions itself from', async () => {
    await page.getByLabel('Device id').fill('HH-QR1')
    await page.getByRole('button', { name: 'Register device' }).click()
    await page.getByRole('article', { name: 'New secret of HH-QR1' }).waitFor()
    first = await scanQrCode('HH-QR1')
    expect(first).toEqual({
      format: 'wh-device',
      v: 1,
      hub: await httpUrl(hub()),
      mqtt: s.env.urls.mqtt,
      topicRoot: s.env.env.MQTT_TOPIC_ROOT,
      deviceId: 'HH-QR1',
      site: SITE,
      secret: await shownSecret(),
    })
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-devices')

    device = await TestDevice.provisioned(s.env, first)
    devices.push(device)
    expect(await receipt(device)).toMatchObject({ status: 'applied', onHand: 1 })

    await page.getByRole('button', { name: 'Done: it is stored' }).click()
    expect(await page.getByLabel('Signing secret').count()).toBe(0)
    await page.getByRole('row', { name: /HH-QR1/ }).waitFor()
  })

  it('rotates: a new secret and code are shown, the old secret stops working and the new one works', async () => {
    await page.getByRole('button', { name: 'Rotate secret of HH-QR1' }).click()
    await page.getByRole('article', { name: 'New secret of HH-QR1' }).waitFor()
    const rotated = await scanQrCode('HH-QR1')
    expect(rotated.secret).toBe(await shownSecret())
    expect(rotated.secret).not.toBe(first.secret)
    await page.getByRole('button', { name: 'Done: it is stored' }).click()

    expect(await receipt(device)).toMatchObject({ status: 'rejected', code: 'BAD_SIGNATURE' })
    expect(await receipt(device, rotated.secret)).toMatchObject({ status: 'applied' })
    first = rotated
  })

  it('disables a device: its scans are refused', async () => {
    await page.getByRole('button', { name: 'Disable HH-QR1' }).click()
    await page.getByRole('button', { name: 'Enable HH-QR1' }).waitFor()
    expect(await page.getByRole('row', { name: /HH-QR1/ }).textContent()).toContain('disabled')
    expect(await receipt(device, first.secret)).toMatchObject({ status: 'rejected', code: 'DEVICE_DISABLED' })
  })
})

describe('API keys in the console', () => {
  it('creates a key shown once and revokes it', async () => {
    await page.getByLabel('Key name').fill('scraper')
    await page.getByLabel('Role').selectOption('viewer')
    await page
      .getByRole('group', { name: /Limited to sites/ })
      .getByLabel(SITE)
      .check()
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByRole('article', { name: 'New key scraper' }).waitFor()
    const key = await page.getByLabel('API key', { exact: true }).inputValue()
    const self = await hub().inject({ url: '/api/keys/self', headers: bearer(key) })
    expect(self.json()).toMatchObject({ name: 'scraper', role: 'viewer', sites: [SITE] })
    await page.getByRole('button', { name: 'Done: it is stored' }).click()

    await page.getByRole('button', { name: 'Revoke key scraper' }).click()
    await page
      .getByRole('row', { name: /scraper/ })
      .getByText('revoked')
      .waitFor()
    expect((await hub().inject({ url: '/api/keys/self', headers: bearer(key) })).statusCode).toBe(401)
    expect(await seriousViolations(page)).toEqual([])
  })

  it('records each change under the admin who made it', async () => {
    const audit = await s.inspect.rows<{ entity: string; action: string; actor: string }>(
      "SELECT entity, action, actor FROM audit_log WHERE entity IN ('device', 'api_key') AND actor = 'ada' ORDER BY id",
    )
    expect(audit.map((a) => `${a.entity} ${a.action}`)).toEqual([
      'device register',
      'device rotate-secret',
      'device disable',
      'api_key create',
      'api_key revoke',
    ])
  })
})

describe('on a handheld', () => {
  it('fits the screen: tables scroll, nothing else is wider than it', async () => {
    await page.setViewportSize(VIEWPORTS.handheld)
    await page.getByRole('button', { name: 'Rotate secret of HH-QR1' }).click()
    await page.getByRole('img', { name: /Provisioning code of HH-QR1/ }).waitFor()
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('main *')]
        .filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((e) => e.tagName + (e.id ? `#${e.id}` : '')),
    )
    expect(overflowing).toEqual([])
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: new URL('../artifacts/console-devices-handheld.png', import.meta.url).pathname, fullPage: true })
    await page.getByRole('button', { name: 'Done: it is stored' }).click()
    await page.setViewportSize(VIEWPORTS.desk)
  })
})

describe('a supervisor', () => {
  it('has no Devices & keys page, and the hub refuses them its routes', async () => {
    const supervisor = await signInToConsole(browser, hub(), 'sue', 'supervisor')
    const menu = supervisor.getByRole('navigation', { name: 'Console' })
    expect(await menu.getByRole('link', { name: 'Devices & keys' }).count()).toBe(0)
    await supervisor.goto(`${await httpUrl(hub())}/console/devices`)
    await supervisor.getByText('Only an admin manages devices').waitFor()
    await supervisor.context().close()

    const sue = await PersonClient.signIn(hub(), 'sue')
    const refused = [
      await sue.send('GET', `/api/devices?site=${SITE}`),
      await sue.send('POST', '/api/devices', { id: 'HH-SUE', site: SITE }),
      await sue.send('POST', '/api/devices/HH-QR1/rotate', {}),
      await sue.send('GET', '/api/keys'),
      await sue.send('POST', '/api/keys', { name: 'mine', role: 'admin' }),
      await sue.send('GET', '/api/screens'),
      await sue.send('POST', '/api/screens', { code: 'ABCD-EFGH', name: 'mine', site: SITE }),
    ]
    expect(refused.map((r) => r.status)).toEqual(Array(refused.length).fill(403))
  })
})
