import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { DeviceProvisioning } from '@wh/shared'
import { screenshotForDocs, seriousViolations } from '../helpers/console-browser.ts'
import { testDeviceSecret } from '../helpers/device-secrets.ts'
import { eventually } from '../helpers/eventually.ts'
import { seedFixture, seedSite, SITE, type Fixture } from '../helpers/fixtures.ts'
import { freePort } from '../helpers/free-port.ts'
import {
  assertHandheldBuilt,
  connection,
  deviceLedger,
  hubForHandheld,
  launchHandheld,
  pendingCount,
  provisionByCode,
  receiveInto,
  shownOutcomes,
  untilPending,
  waitForOfflineReady,
  wedgeScan,
  type Handheld,
} from '../helpers/handheld.ts'
import { startHubProcess, type HubProcess } from '../helpers/hub-process.ts'
import { openInspector, type Inspector } from '../helpers/inspect.ts'
import { createTestEnv } from '../helpers/test-env.ts'

// The hub runs as a child process (every role), so a test can kill it and start it again; the
// browser reaches it through a proxy a test can cut, as a dead Wi-Fi spot would.
const env = createTestEnv('handheld')
const DOCK = 'DOCK-01'
const DEVICE = 'HH-WEB1'
let fixture: Fixture
let hubPort: number
let hub: HubProcess
let served: Awaited<ReturnType<typeof hubForHandheld>>
let inspect: Inspector
let profile: string
let handheld: Handheld
const page = () => handheld.page

beforeAll(async () => {
  assertHandheldBuilt()
  fixture = await seedFixture(env, { products: 2, locations: 1, devices: 0 })
  await seedSite(env, { code: SITE, locations: [{ code: DOCK }], devices: [DEVICE] })
  hubPort = await freePort()
  hub = await startHubProcess(env, 'server', { HTTP_PORT: hubPort })
  served = await hubForHandheld(hubPort)
  inspect = await openInspector(env)
  profile = await mkdtemp(path.join(tmpdir(), 'wh-handheld-'))
  handheld = await launchHandheld(profile)
})

// A test that failed with the network cut leaves it back for the next.
afterEach(() => served.restore())

afterAll(async () => {
  await handheld?.close()
  await served?.close()
  await hub?.stop()
  await inspect?.close()
  if (profile) await rm(profile, { recursive: true, force: true })
  await env.cleanup()
})

/** What the console's QR code would hold for the device, with the page's own origin as the hub. */
const provisioning = (): DeviceProvisioning => ({
  format: 'wh-device',
  v: 1,
  hub: served.origin,
  mqtt: env.urls.mqtt,
  topicRoot: env.env.MQTT_TOPIC_ROOT!,
  deviceId: DEVICE,
  site: SITE,
  secret: testDeviceSecret(DEVICE),
})

/** On hand of the fixture's first product at the dock, as the database says. */
const onHandAtDock = async () => (await inspect.siteStock(SITE))[fixture.skus[0]!]?.locations[DOCK]?.onHand ?? 0

/** Scans the first product `n` times with the wedge. */
async function scanItems(n: number) {
  for (let i = 0; i < n; i++) await wedgeScan(page(), fixture.gtins[0]!)
}

/**
 * The ledger rows this device made since `fromSeq`: each scan exactly once, in deviceSeq order,
 * with nothing skipped, and `n` of them.
 */
async function expectAppliedOnceInOrder(afterSeq: number, n: number) {
  const ledger = (await deviceLedger(inspect, DEVICE)).filter((m) => m.deviceSeq > afterSeq)
  expect(new Set(ledger.map((m) => m.eventId)).size).toBe(ledger.length)
  expect(ledger.map((m) => m.deviceSeq)).toEqual(Array.from({ length: n }, (_, i) => afterSeq + i + 1))
  expect(await inspect.inconsistencies()).toEqual([])
}

const lastSeq = async () => (await deviceLedger(inspect, DEVICE)).at(-1)?.deviceSeq ?? 0

describe('setting up', () => {
  it('shows the setup screen first, and is provisioned from a pasted code', async () => {
    await page().goto(served.url)
    await page().locator('textarea#provisioning-code').waitFor()
    expect(await seriousViolations(page())).toEqual([])
    await screenshotForDocs(page(), 'handheld-setup')

    await provisionByCode(page(), provisioning())
    await page().locator('[data-testid=device-id]', { hasText: DEVICE }).waitFor()
    await waitForOfflineReady(page())
    await eventually('online', async () => (await connection(page())) === 'online')
    expect(await seriousViolations(page())).toEqual([])
    await screenshotForDocs(page(), 'handheld-home')
  })
})

describe('keyboard-wedge scans', () => {
  it('are applied and show the stock after each', async () => {
    await receiveInto(page(), DOCK)
    await scanItems(3)
    await eventually('three applied outcomes', async () => (await shownOutcomes(page())).filter((o) => o.status === 'applied').length === 3)
    const outcomes = await shownOutcomes(page())
    // Newest first: on hand after each receipt of one.
    expect(outcomes.map((o) => o.text)).toEqual([
      expect.stringMatching(/\b3\b/),
      expect.stringMatching(/\b2\b/),
      expect.stringMatching(/\b1\b/),
    ])
    expect(await onHandAtDock()).toBe(3)
    expect(await pendingCount(page())).toBe(0)
    await expectAppliedOnceInOrder(0, 3)
    expect(await seriousViolations(page())).toEqual([])
    await screenshotForDocs(page(), 'handheld-receive')
  })

  it('are told apart from typing: a quantity typed by hand stays, a scan made in its field takes it', async () => {
    const before = await onHandAtDock()
    await page().locator('#qty').fill('')
    await page().locator('#qty').pressSequentially('12', { delay: 120 })
    // The scanner fires while the quantity field still has the focus.
    await wedgeScan(page(), fixture.gtins[0]!)
    await eventually('on hand after the scan', async () => (await shownOutcomes(page()))[0]?.onHand === before + 12)
    expect(await onHandAtDock()).toBe(before + 12)
  })
})

describe('every screen', () => {
  it('passes axe-core with no serious findings, the menu open too', async () => {
    for (const workflow of ['move', 'pick', 'count', 'adjust', 'receive']) {
      await page().goto(`${served.url}#${workflow}`)
      await page().locator('main h1').waitFor()
      expect(await seriousViolations(page()), workflow).toEqual([])
    }
    await page().locator('button#menu').click()
    await page().locator('button#open-setup').waitFor()
    expect(await seriousViolations(page()), 'menu').toEqual([])
    await page().locator('button#open-setup').click()
    await page().locator('button#scan-qr').waitFor()
    expect(await seriousViolations(page()), 'setup of a set-up device').toEqual([])
  })
})

describe('with the network cut', () => {
  it('keeps 200 scans, loads again while still offline, and applies each once, in order, when the network is back; then 0 pending', async () => {
    const [before, seq] = [await onHandAtDock(), await lastSeq()]
    await page().goto(served.url)
    await receiveInto(page(), DOCK)
    await served.cut()
    await eventually('offline shown', async () => (await connection(page())) === 'offline')
    await scanItems(200)
    await untilPending(page(), 200)
    expect(await seriousViolations(page())).toEqual([])
    await screenshotForDocs(page(), 'handheld-offline')

    // No network at all: the service worker serves the app, which reads its outbox back.
    await page().reload()
    await page().locator('[data-testid=pending-count]').waitFor()
    await untilPending(page(), 200)
    expect(await connection(page())).not.toBe('online')
    expect(await onHandAtDock()).toBe(before)

    await served.restore()
    await untilPending(page(), 0, 60_000)
    expect(await connection(page())).toBe('online')
    expect(await onHandAtDock()).toBe(before + 200)
    await expectAppliedOnceInOrder(seq, 200)

    // 0 pending is what a picker trusts before walking out of the Wi-Fi and closing the app:
    // started again right then, with no network, it has nothing left to send.
    await served.cut()
    await page().reload()
    await eventually('offline shown', async () => (await connection(page())) === 'offline')
    expect(await pendingCount(page())).toBe(0)
  })
})

describe('a browser killed with scans pending', () => {
  it('sends each of them once when it is started again on the same profile', async () => {
    const [before, seq] = [await onHandAtDock(), await lastSeq()]
    await served.cut()
    await page().goto(served.url)
    await eventually('offline shown', async () => (await connection(page())) === 'offline')
    const kept = await pendingCount(page())
    await receiveInto(page(), DOCK)
    await scanItems(20)
    await untilPending(page(), kept + 20)
    await handheld.kill()

    // Started again with the network still gone: it loads from its service worker, its scans kept.
    handheld = await launchHandheld(profile)
    await page().goto(served.url)
    await eventually('offline shown', async () => (await connection(page())) === 'offline')
    expect(await pendingCount(page())).toBe(kept + 20)
    await served.restore()
    await untilPending(page(), 0, 60_000)
    expect(await onHandAtDock()).toBe(before + 20)
    await expectAppliedOnceInOrder(seq, 20)
  })
})

describe('the hub restarted while scanning', () => {
  it('loses and doubles nothing', async () => {
    const [before, seq] = [await onHandAtDock(), await lastSeq()]
    await page().goto(served.url)
    await receiveInto(page(), DOCK)
    await scanItems(10)
    // Killed as a crash would, then started again, while the scanning goes on.
    const restart = (async () => {
      await hub.stop('SIGKILL')
      hub = await startHubProcess(env, 'server', { HTTP_PORT: hubPort })
    })()
    await scanItems(30)
    await restart
    await untilPending(page(), 0, 60_000)
    expect(await onHandAtDock()).toBe(before + 40)
    await expectAppliedOnceInOrder(seq, 40)
  })
})
