import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core'
import type { DeviceProvisioning } from '@wh/shared'
import { CHROMIUM } from './browser.ts'
import { eventually } from './eventually.ts'
import type { Inspector } from './inspect.ts'
import { fakeCameraArgs } from './fake-camera.ts'
import { startTcpProxy } from './tcp-proxy.ts'

export function assertHandheldBuilt() {
  if (!existsSync(new URL('../../handheld/dist/index.html', import.meta.url))) throw new Error('handheld not built: run `npm run build`')
}

/**
 * The hub as the handheld's browser reaches it: through a proxy on its own port, so the page's
 * origin is the proxy and `cut()` takes away both its HTTP and its /mqtt WebSocket, as a dead Wi-Fi
 * spot would, while the hub itself keeps running.
 */
export async function hubForHandheld(hubPort: number) {
  const proxy = await startTcpProxy(hubPort)
  const origin = `http://127.0.0.1:${proxy.port}`
  let cut = false
  return {
    origin,
    url: `${origin}/handheld/`,
    async cut() {
      cut = true
      await proxy.cut()
    },
    /** The network back; nothing to do when it is not cut (a test that failed half-way leaves it either way). */
    async restore() {
      if (cut) await proxy.restore()
      cut = false
    },
    close: () => proxy.close(),
  }
}

/** A 5-inch phone held upright: what the app is laid out for. */
const PHONE = { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const

export interface Handheld {
  context: BrowserContext
  page: Page
  /** Kills the browser's processes with SIGKILL, as a flat battery or a killed app would: nothing is shut down cleanly. */
  kill: () => Promise<void>
  close: () => Promise<void>
}

/**
 * Chromium as a phone, on a profile kept in `profileDir` (IndexedDB, the service worker and its
 * cache), so a test can kill the browser and start it again on what it had stored. With
 * `videoFile` (see fake-camera.ts) its camera films that file; the file is read each time the
 * camera starts, so a test may rewrite it between scans.
 */
export async function launchHandheld(profileDir: string, options: { videoFile?: string } = {}): Promise<Handheld> {
  const context = await chromium.launchPersistentContext(profileDir, {
    ...CHROMIUM,
    args: [...CHROMIUM.args, ...(options.videoFile ? fakeCameraArgs(options.videoFile) : [])],
    ...PHONE,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    async kill() {
      const closed = new Promise((resolve) => context.once('close', resolve))
      for (const pid of await profileProcesses(profileDir)) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Already gone with its parent.
        }
      }
      await closed
      // Its helpers (renderer, GPU, zygote) end once the browser's pipes close; a killed browser's
      // profile must not be opened again while one of them still holds it.
      await eventually('the killed browser to be gone', async () => (await profileProcesses(profileDir)).length === 0, 10_000)
    },
    close: () => context.close(),
  }
}

/**
 * The ids of the Chromium processes running on `profileDir` (this test started them all), read
 * from /proc: Playwright gives no process id for a persistent context's browser.
 */
async function profileProcesses(profileDir: string): Promise<number[]> {
  const marker = `--user-data-dir=${profileDir}`
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.split('\0').includes(marker)) pids.push(Number(entry))
  }
  return pids
}

/**
 * Waits until the app's service worker controls the page: from then on the app loads with no
 * network. The first visit is controlled once the worker claims it, or after one reload.
 */
export async function waitForOfflineReady(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready)
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload()
  await eventually('the service worker to control the page', () => page.evaluate(() => navigator.serviceWorker.controller !== null))
}

const wedges = new WeakMap<Page, { cdp: Promise<CDPSession>; last: number }>()

/**
 * A barcode as a keyboard-wedge scanner sends it: a burst of keys 5 ms apart, then Enter. Sent
 * through the debugging protocol with each key's own time, as the OS stamps a scanner's keys: a
 * page busy with the last scan gets the keys late but still sees them as one burst. (Playwright's
 * `keyboard.type` stamps a key when the page takes it, so a busy page would see a pause mid-scan
 * that no scanner makes.)
 */
export async function wedgeScan(page: Page, code: string) {
  let wedge = wedges.get(page)
  if (!wedge) wedges.set(page, (wedge = { cdp: page.context().newCDPSession(page), last: 0 }))
  const cdp = await wedge.cdp
  let at = Math.max(Date.now(), wedge.last + 5)
  for (const key of [...code, 'Enter']) {
    const enter = key === 'Enter' ? { code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' } : { text: key }
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, ...enter, timestamp: at / 1000 })
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, ...enter, timestamp: at / 1000 })
    wedge.last = at
    at += 5
  }
}

/** Provisions the app from its setup screen with a console's provisioning code, pasted as text. */
export async function provisionByCode(page: Page, provisioning: DeviceProvisioning) {
  await page.locator('textarea#provisioning-code').fill(JSON.stringify(provisioning))
  await page.locator('button#use-code').click()
  await page.locator('button[data-workflow=receive]').waitFor()
}

/** Opens a workflow from the home screen. */
export async function openWorkflow(page: Page, workflow: 'receive' | 'move' | 'pick' | 'count' | 'adjust') {
  await page.locator(`button[data-workflow=${workflow}]`).click()
}

/** Starts receiving without a purchase order into `location`, scanned as the location label. */
export async function receiveInto(page: Page, location: string) {
  await openWorkflow(page, 'receive')
  await page.locator('button#no-po').click()
  await page.locator('#scan-input').waitFor()
  await wedgeScan(page, location)
  await eventually(
    `the location ${location} to be set`,
    async () => (await page.locator('[data-testid=location]').textContent())?.includes(location) ?? false,
  )
}

/** The pending count the status bar shows. */
export async function pendingCount(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid=pending-count]').textContent())
}

/** Waits until the status bar shows `n` scans pending. */
export function untilPending(page: Page, n: number, timeoutMs = 30_000) {
  return eventually(`${n} scans pending`, async () => (await pendingCount(page)) === n, timeoutMs)
}

/** The connection the status bar shows: online, offline or connecting. */
export function connection(page: Page): Promise<string | null> {
  return page.locator('[data-testid=connection]').getAttribute('data-state')
}

export interface ShownOutcome {
  eventId: string
  status: string
  /** On hand there after the scan, when the hub has said. */
  onHand?: number
  text: string
}

/** The outcomes the app lists, newest first. */
export function shownOutcomes(page: Page): Promise<ShownOutcome[]> {
  return page.$$eval('#outcomes [data-event-id]', (items) =>
    items.map((e) => {
      const onHand = e.querySelector('[data-testid=on-hand]')?.textContent
      return {
        eventId: (e as HTMLElement).dataset.eventId!,
        status: (e as HTMLElement).dataset.status!,
        ...(onHand ? { onHand: Number(onHand) } : {}),
        text: (e.textContent ?? '').replace(/\s+/g, ' ').trim(),
      }
    }),
  )
}

export interface LedgerEntry {
  eventId: string
  deviceSeq: number
  qtyDelta: number
}

/** A device's scans as the ledger holds them (one row per event: its first leg), in the order they were applied. */
export async function deviceLedger(inspect: Inspector, deviceId: string): Promise<LedgerEntry[]> {
  const rows = await inspect.rows<{ event_id: string; device_seq: number; qty_delta: number }>(
    'SELECT event_id, device_seq, qty_delta FROM stock_movements WHERE device_id = ? AND leg = 0 ORDER BY id',
    [deviceId],
  )
  return rows.map((r) => ({ eventId: r.event_id, deviceSeq: Number(r.device_seq), qtyDelta: r.qty_delta }))
}
