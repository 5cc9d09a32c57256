import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import signingVectors from '../fixtures/signing-vectors.json' with { type: 'json' }
import { launchChromium } from '../helpers/browser.ts'
import { bundleForBrowser } from '../helpers/browser-bundle.ts'

type WebSigning = typeof import('@wh/shared/signing/web')

let browser: Browser
let page: Page

beforeAll(async () => {
  // As the handheld app gets it: bundled for the browser, one global.
  const code = await bundleForBrowser([new URL(import.meta.resolve('@wh/shared/signing/web'))], 'whSigning')
  browser = await launchChromium()
  page = await browser.newPage()
  // crypto.subtle exists only in a secure context: about:blank is none, http://localhost is one.
  // The page is answered by the browser's own routing, so no server is needed.
  await page.route('http://localhost/signing', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>signing</title>' }),
  )
  await page.goto('http://localhost/signing')
  await page.addScriptTag({ content: code })
})

afterAll(() => browser?.close())

describe('the web signer inside headless Chromium', () => {
  it('runs where WebCrypto is real: a secure context with crypto.subtle', async () => {
    expect(await page.evaluate(() => window.isSecureContext && typeof crypto.subtle?.sign === 'function')).toBe(true)
  })

  it('gives every event vector its signature', async () => {
    const signatures = await page.evaluate(async (events) => {
      const s = (window as unknown as { whSigning: WebSigning }).whSigning
      return Promise.all(events.map((v) => s.signEventWeb(v.event, v.secret)))
    }, signingVectors.events)
    expect(signatures).toEqual(signingVectors.events.map((v) => v.signature))
  })

  it('gives every device request vector its Authorization header', async () => {
    const headers = await page.evaluate(async (requests) => {
      const s = (window as unknown as { whSigning: WebSigning }).whSigning
      return Promise.all(requests.map((v) => s.deviceAuthorization(v.deviceId, v.secret, v.method, v.pathAndQuery, v.at)))
    }, signingVectors.deviceRequests)
    expect(headers).toEqual(signingVectors.deviceRequests.map((v) => v.authorization))
  })
})
