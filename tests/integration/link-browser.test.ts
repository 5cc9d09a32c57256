import { createServer, type Server } from 'node:http'
import net from 'node:net'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createWebSocketStream, WebSocketServer } from 'ws'
import { createTopics, type Ack } from '@wh/shared'
import { launchChromium } from '../helpers/browser.ts'
import { bundleForBrowser } from '../helpers/browser-bundle.ts'
import { testDeviceSecret } from '../helpers/device-secrets.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'

import type { LinkState } from '../../handheld/src/link/link-state.ts'

type LinkModules = typeof import('../../handheld/src/link/link.ts') & typeof import('../../handheld/src/link/setup.ts')
declare global {
  interface Window {
    wh: LinkModules
    link?: ReturnType<LinkModules['startLink']>
    linkState?: LinkState
  }
}

const s = useScenario('linkbrowser', { products: 1, locations: 1, devices: 1 })
let wifi: Awaited<ReturnType<typeof startTcpProxy>>
let origin: string
/** Serves the page and, at /mqtt, a WebSocket-to-TCP bridge as the hub does (same origin, loopback). */
let server: Server
let code: string
let browser: Browser
let context: BrowserContext

/** A page of the app's origin with the link's modules loaded (nothing started). */
async function openPage(): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${origin}/handheld/`)
  await page.addScriptTag({ content: code })
  return page
}

/** Starts the link from the stored setup and mirrors its state into `window.linkState`. */
const startLink = (page: Page) =>
  page.evaluate(async () => {
    window.link = window.wh.startLink((await window.wh.loadSetup())!)
    window.link.subscribe((state) => (window.linkState = state))
  })
const linkState = (page: Page) => page.evaluate(() => window.linkState!)
const scanTimes = (page: Page, n: number, barcode: string, location: string) =>
  page.evaluate(
    async ({ n, barcode, location }) => {
      for (let i = 0; i < n; i++) await window.link!.scan({ type: 'receive', barcode, location, qty: 1 })
    },
    { n, barcode, location },
  )

beforeAll(async () => {
  const link = new URL('../../handheld/src/link/', import.meta.url)
  code = await bundleForBrowser([new URL('link.ts', link), new URL('setup.ts', link)], 'wh')
  // The bridge's upstream runs through a proxy the test can cut: the browser's only way to the broker.
  wifi = await startTcpProxy(Number(new URL(s.env.urls.mqtt).port || 1883))
  // 127.0.0.1 is a secure context without TLS (WebCrypto, Web Locks), and a page served from
  // loopback may open loopback sockets (Chromium's local network access checks).
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>link</title>'))
  const bridge = new WebSocketServer({ server, path: '/mqtt' })
  bridge.on('connection', (socket) => {
    const upstream = net.connect(wifi.port, '127.0.0.1')
    const stream = createWebSocketStream(socket)
    const close = () => (socket.terminate(), upstream.destroy())
    stream.pipe(upstream).pipe(stream)
    for (const end of [upstream, stream]) end.on('error', close).on('close', close)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
  browser = await launchChromium()
  context = await browser.newContext()
  const page = await openPage()
  const deviceId = s.fixture.devices[0]!
  const setup = {
    format: 'wh-device',
    v: 1,
    hub: origin,
    // A TCP broker, as Debian's Mosquitto is: the link takes the hub's same-origin bridge.
    mqtt: s.env.urls.mqtt,
    topicRoot: s.env.env.MQTT_TOPIC_ROOT!,
    deviceId,
    site: SITE,
    secret: testDeviceSecret(deviceId),
  } as const
  await page.evaluate((setup) => window.wh.saveSetup(setup), setup)
  await page.close()
})

afterAll(async () => {
  await browser?.close()
  server?.closeAllConnections()
  if (server) await new Promise((r) => server.close(r))
  await wifi?.close()
})

describe('the browser link (IndexedDB outbox, WebCrypto, mqtt.js over WebSockets) in Chromium', () => {
  it('delivers scans made offline across a reload exactly once, in order, and one tab holds the link', async () => {
    const [sku, location] = [s.fixture.skus[0]!, s.fixture.locations[0]!]
    const page = await openPage()
    await startLink(page)
    await eventually('online', async () => (await linkState(page)).connection === 'online')
    await scanTimes(page, 3, sku, location)
    await eventually('3 applied', async () => (await linkState(page)).outcomes.filter((o) => o.status === 'applied').length === 3)

    // A second tab of the app cannot scan while this one holds the link.
    const other = await openPage()
    await startLink(other)
    await eventually('the other tab told', async () => (await linkState(other)).otherTab)
    await expect(other.evaluate(() => window.link!.scan({ type: 'count', barcode: 'X', location: 'A', qty: 1 }))).rejects.toThrow(
      /another tab/,
    )
    await other.close()

    await wifi.cut()
    await eventually('offline', async () => (await linkState(page)).connection === 'offline')
    await scanTimes(page, 5, sku, location)
    expect((await linkState(page)).pending).toBe(5)
    await page.reload()
    await page.addScriptTag({ content: code })
    await startLink(page)
    await eventually('pending from IndexedDB', async () => (await linkState(page))?.pending === 5)
    expect((await linkState(page)).outcomes.slice(0, 5).map((o) => o.status)).toEqual(Array(5).fill('queued'))

    await wifi.restore()
    await eventually('all answered', async () => {
      const state = await linkState(page)
      return state.pending === 0 && state.outcomes.every((o) => o.status === 'applied')
    })
    const ledger = await s.inspect.rows<{ device_seq: number }>('SELECT device_seq FROM stock_movements ORDER BY id')
    expect(ledger.map((r) => Number(r.device_seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect((await s.inspect.levels())[0]?.onHand).toBe(8)
    await page.evaluate(() => window.link!.stop())
  })

  it('keeps pending scans through a new secret, showing the hub refusing the wrong one, and refuses another device meanwhile', async () => {
    const [sku, location] = [s.fixture.skus[0]!, s.fixture.locations[0]!]
    const page = await openPage()
    const restart = () => page.evaluate(() => window.link!.stop()).then(() => startLink(page))
    await wifi.cut()
    await startLink(page)
    await scanTimes(page, 2, sku, location)
    expect((await linkState(page)).pending).toBe(2)

    const becomeOther = page.evaluate(async () => {
      const setup = (await window.wh.loadSetup())!
      return window.wh.saveSetup({ ...setup, deviceId: 'HH-OTHER' }).catch((err: Error) => `${err.name}: ${err.message}`)
    })
    expect(await becomeOther).toMatch(/^SetupError: 2 scans of \S+ still wait for the hub/)

    const setSecret = (secret: string) =>
      page.evaluate(async (secret) => window.wh.saveSetup({ ...(await window.wh.loadSetup())!, secret }), secret)
    await setSecret('not-the-secret-the-hub-has-for-this-device')
    await restart()
    await wifi.restore()
    await eventually('the refusal shown', async () => (await linkState(page)).refused?.code === 'BAD_SIGNATURE')
    expect((await linkState(page)).pending).toBe(2)

    await setSecret(testDeviceSecret(s.fixture.devices[0]!))
    await restart()
    await eventually('both applied', async () => (await linkState(page)).pending === 0)
    expect((await linkState(page)).refused).toBeUndefined()
    const ledger = await s.inspect.rows<{ device_seq: number }>('SELECT device_seq FROM stock_movements ORDER BY id')
    expect(ledger.map((r) => Number(r.device_seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    await page.evaluate(() => window.link!.stop())
  })

  it('keeps applied scans as history across a reload, and resends those above a sync without showing them again', async () => {
    const deviceId = s.fixture.devices[0]!
    const topics = createTopics(s.env.env.MQTT_TOPIC_ROOT)
    // The test plays the hub's sync, and hears the device's acks beside it.
    const hub = await mqtt.connectAsync(s.env.urls.mqtt, { protocolVersion: 5, clientId: `${s.env.id}-sync` })
    const acks: Ack[] = []
    hub.on('message', (_topic, payload) => acks.push(JSON.parse(payload.toString()) as Ack))
    await hub.subscribeAsync(topics.acks(SITE, deviceId), { qos: 1 })

    const page = await openPage()
    await startLink(page)
    await eventually('online, nothing pending', async () => {
      const state = await linkState(page)
      return state.connection === 'online' && state.pending === 0
    })
    const shown = (await linkState(page)).outcomes
    await hub.publishAsync(topics.sync(SITE, deviceId), JSON.stringify({ appliedThrough: 7 }), { qos: 1 })
    await eventually('8, 9 and 10 resent and answered', () => [8, 9, 10].every((seq) => acks.some((a) => a.deviceSeq === seq)))
    expect(acks.map((a) => [a.deviceSeq, a.status, a.settledAs]).sort(([a], [b]) => Number(a) - Number(b))).toEqual([
      [8, 'duplicate', 'applied'],
      [9, 'duplicate', 'applied'],
      [10, 'duplicate', 'applied'],
    ])
    await eventually('nothing pending again', async () => (await linkState(page)).pending === 0)
    // The screen shows what it showed: each scan once, as first applied.
    expect((await linkState(page)).outcomes).toEqual(shown)
    const ledger = await s.inspect.rows<{ device_seq: number }>('SELECT device_seq FROM stock_movements ORDER BY id')
    expect(ledger.map((r) => Number(r.device_seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    await page.evaluate(() => window.link!.stop())
    await hub.endAsync()
  })
})
