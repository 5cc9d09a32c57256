import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  openConsolePage,
  screenshotForDocs,
  seriousViolations,
  signInToConsole,
  useConsoleBrowser,
  VIEWPORTS,
} from '../helpers/console-browser.ts'
import type { IssuedWebhook, WebhookView } from '@wh/shared'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { freePort } from '../helpers/free-port.ts'
import { stockMessages, stockWebhookApi } from '../helpers/stock-webhooks.ts'
import { useScenario } from '../helpers/scenario.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts'

/** An endpoint failing longer than this is paused (web-shop's failures are over sooner). */
const PAUSE_AFTER_MS = 2000
// Two quick attempts, so a message to a failing endpoint is dead-lettered within the test.
const s = useScenario('console-webhooks', {
  products: 3,
  locations: 1,
  devices: 1,
  hubs: [{ WEBHOOK_MAX_ATTEMPTS: 2, WEBHOOK_BACKOFF_MS: 50, WEBHOOK_PAUSE_AFTER_MS: PAUSE_AFTER_MS }],
})
const adminApi = stockWebhookApi(s, () => receiver)
const webhook = async (id: number) => (await adminApi.api<WebhookView>('GET', `/api/webhooks/${id}`)).body
const hub = () => s.hubs[0]!
const browser = useConsoleBrowser()
let receiver: WebhookReceiver
let page: Page

beforeAll(async () => {
  receiver = await startWebhookReceiver()
})
afterAll(async () => receiver?.stop())

const ENDPOINT = 'shop'
/** The page reads the log again every few seconds: what it shows catches up within this. */
const SOON = { timeout: 15_000 }
/** The log of web-shop's five pings, newest first: the replayed copy, its dead original, three delivered. */
const pingsShown = [
  'webhook.ping | Delivered',
  'webhook.ping | Dead-lettered',
  'webhook.ping | Delivered',
  'webhook.ping | Delivered',
  'webhook.ping | Delivered',
]
const received = (type: string) => receiver.received(ENDPOINT).filter((m) => m.type === type)

/** The delivery log's rows as the page shows them: type | status, newest first. */
const logShown = () =>
  page.getByRole('table', { name: 'Delivery log' }).evaluate((table) =>
    [...table.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent)
      return `${cells[1]} | ${cells[3]}`
    }),
  )

/** What on the page, other than a table scrolling in its own box, reaches past the screen's right edge. */
const overflowing = () =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *')]
      .filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map((e) => e.tagName + (e.id ? `#${e.id}` : '')),
  )

const subscriptionRow = async () =>
  (
    await s.inspect.rows<{ id: number; status: string; paused_reason: string | null }>(
      "SELECT id, status, paused_reason FROM webhook_subscriptions WHERE name = 'web-shop'",
    )
  )[0]!

describe('the storefront sync page', () => {
  let secret: string

  it('an admin creates a subscription and sees its secret once, with a button that copies it', async () => {
    page = await signInToConsole(browser(), hub(), 'ada', 'admin')
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    // Deleting asks first; the admin says yes.
    page.on('dialog', (dialog) => void dialog.accept())
    await openConsolePage(page, 'Storefront sync')

    await page.getByRole('button', { name: 'New subscription' }).click()
    await page.getByLabel('Name').fill('web-shop')
    await page.getByLabel('URL').fill(receiver.url(ENDPOINT))
    await page.getByLabel('SKUs').fill(s.fixture.skus.join(', '))
    await page.getByLabel('Order events').check()
    await page.getByRole('button', { name: 'Create subscription' }).click()
    const shown = page.getByRole('article', { name: 'Signing secret of web-shop' })
    await shown.waitFor()
    secret = await shown.getByLabel('Signing secret').inputValue()
    expect(secret).toMatch(/^whsec_/)
    await shown.getByRole('button', { name: 'Copy secret' }).click()
    await shown.getByText('Copied to the clipboard.').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    receiver.trust(ENDPOINT, secret)

    await page.getByRole('heading', { level: 2, name: 'web-shop' }).waitFor()
    const row = page.getByRole('row', { name: /web-shop/ })
    expect(await row.textContent()).toContain(SITE)
    expect(await row.textContent()).toContain(receiver.url(ENDPOINT))
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Done: it is stored' }).click()
    expect(await page.getByLabel('Signing secret').count()).toBe(0)
  })

  it('sends a test message the receiver verifies, and the log shows it delivered', async () => {
    await page.getByRole('button', { name: 'Send test' }).click()
    await expect.poll(logShown, SOON).toContain('webhook.ping | Delivered')
    const pings = received('webhook.ping')
    expect(pings).toHaveLength(1)
    expect(pings[0]!.data).toEqual({ subscriptionId: (await subscriptionRow()).id })
  })

  it('rotates the secret: shown once, and the next message is signed with it', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click()
    const shown = page.getByRole('article', { name: 'Signing secret of web-shop' })
    const rotated = await shown.getByLabel('Signing secret').inputValue()
    expect(rotated).toMatch(/^whsec_/)
    expect(rotated).not.toBe(secret)
    await shown.getByRole('button', { name: 'Done: it is stored' }).click()
    receiver.trust(ENDPOINT, rotated)
    await page.getByRole('button', { name: 'Send test' }).click()
    await expect.poll(() => received('webhook.ping').length, SOON).toBe(2)
    expect(receiver.rejected(ENDPOINT)).toEqual([])
  })

  it('pauses with a reason and shows it; resumes and what waited is delivered', async () => {
    await page.getByRole('button', { name: 'Pause…' }).click()
    await page.getByLabel('Reason (optional)').fill('shop closed for stocktake')
    await page.getByRole('button', { name: 'Pause web-shop' }).click()
    const row = page.getByRole('row', { name: /web-shop/ })
    await row.getByText('Paused', { exact: true }).waitFor()
    await row.getByText('shop closed for stocktake').waitFor()
    expect(await subscriptionRow()).toMatchObject({ status: 'paused' })

    // A message sent while paused waits for it.
    await page.getByRole('button', { name: 'Send test' }).click()
    await expect.poll(logShown, SOON).toEqual(['webhook.ping | Pending', 'webhook.ping | Delivered', 'webhook.ping | Delivered'])
    expect(received('webhook.ping')).toHaveLength(2)

    await page.getByRole('button', { name: 'Resume' }).click()
    await page.getByRole('button', { name: 'Pause…' }).waitFor()
    await expect.poll(logShown, SOON).toEqual(['webhook.ping | Delivered', 'webhook.ping | Delivered', 'webhook.ping | Delivered'])
    expect(received('webhook.ping')).toHaveLength(3)
    expect(await subscriptionRow()).toMatchObject({ status: 'active' })
  })

  it('dead-letters a message its failing endpoint refuses, and replays it with its old webhook-id', async () => {
    receiver.fail(500)
    await page.getByRole('button', { name: 'Send test' }).click()
    await expect.poll(logShown, SOON).toContain('webhook.ping | Dead-lettered')
    const row = page.getByRole('row', { name: /Dead-lettered/ })
    expect(await row.textContent()).toContain('500')
    receiver.recover()
    const [dead] = await s.inspect.rows<{ msg_id: string }>("SELECT msg_id FROM webhook_messages WHERE status = 'dead'")

    await page.getByRole('button', { name: 'Replay dead (1)' }).click()
    await page.getByText('1 message of the dead-lettered queued again.').waitFor()
    await expect.poll(() => received('webhook.ping').length, SOON).toBe(4)
    expect(received('webhook.ping').at(-1)!.id).toBe(dead!.msg_id)
    await expect.poll(logShown, SOON).toEqual(pingsShown)
    expect(await seriousViolations(page)).toEqual([])
  })

  it('shows a receipt fanned out as stock.changed, and replays its seq range with its old webhook-id', async () => {
    const [sku] = s.fixture.skus as [string]
    const device = s.devices[0]!
    await device.send([device.event({ type: 'receive', barcode: sku, location: s.fixture.locations[0]!, qty: 5 })])
    await expect.poll(logShown, SOON).toContain('stock.changed | Delivered')
    const [changed] = stockMessages(receiver.received(ENDPOINT), 'stock.changed')
    expect(changed!.data.items).toEqual([{ sku, onHand: 5, available: 5, seq: changed!.data.seq }])

    const seq = String(changed!.data.seq)
    await page.getByRole('button', { name: 'Replay range…' }).click()
    await page.getByLabel('From seq').fill(seq)
    await page.getByLabel('To seq').fill(seq)
    await page.getByRole('button', { name: 'Replay range', exact: true }).click()
    await page.getByText(`1 message of seq ${seq} to ${seq} queued again.`).waitFor()
    await expect.poll(() => receiver.received(ENDPOINT).filter((m) => m.id === changed!.id).length, SOON).toBe(2)
    await expect.poll(logShown, SOON).toEqual(['stock.changed | Delivered', 'stock.changed | Delivered', ...pingsShown])
  })

  it('shows a subscription paused because its endpoint kept failing, with why and since when', async () => {
    // An endpoint nothing listens on: its messages fail until the hub pauses it.
    const id = (
      await adminApi.api<IssuedWebhook>('POST', '/api/webhooks', {
        name: 'erp-feed',
        site: SITE,
        url: `http://127.0.0.1:${await freePort()}/in`,
      })
    ).body.subscription.id
    await adminApi.api('POST', `/api/webhooks/${id}/ping`)
    await eventually('erp-feed failing', async () => (await webhook(id)).failingSince !== null)
    await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_MS))
    await adminApi.api('POST', `/api/webhooks/${id}/ping`)
    await eventually('erp-feed paused', async () => (await webhook(id)).status === 'paused')

    const row = page.getByRole('row', { name: /erp-feed/ })
    await row.getByText('Paused', { exact: true }).waitFor()
    await row.getByText(/its endpoint has failed since/).waitFor()
    await row.getByText(/^failing since/).waitFor()
    expect(await seriousViolations(page)).toEqual([])
  })

  it('runs a full sync of the site, sees the run listed and every SKU sent', async () => {
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.getByText(/^Full sync \d+ of site1: 3 SKUs in/).waitFor()
    const runs = page.getByRole('table', { name: `Full syncs of ${SITE}` })
    const run = runs.getByRole('row', { name: /Asked for/ })
    expect(await run.textContent()).toContain('Sent')
    expect(await run.textContent()).toContain('ada')
    await expect.poll(() => stockMessages(receiver.received(ENDPOINT), 'stock.synced').length, SOON).toBe(1)
    const [synced] = stockMessages(receiver.received(ENDPOINT), 'stock.synced')
    expect(synced!.data.items.map((i) => i.sku).sort()).toEqual([...s.fixture.skus].sort())
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-webhooks')
  })

  it('fits a wall screen and a handheld: nothing is wider than the screen, tables scroll', async () => {
    await page.setViewportSize(VIEWPORTS.wall)
    expect(await overflowing()).toEqual([])
    await page.setViewportSize(VIEWPORTS.handheld)
    await page.getByRole('heading', { level: 2, name: 'web-shop' }).waitFor()
    expect(await overflowing()).toEqual([])
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-webhooks-handheld')
    await page.setViewportSize(VIEWPORTS.desk)
  })

  it('deletes the subscription after asking; every change is audited under the admin', async () => {
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('web-shop deleted.').waitFor()
    await page.getByRole('row', { name: /web-shop/ }).waitFor({ state: 'detached' })
    expect(await subscriptionRow()).toMatchObject({ status: 'deleted' })
    const audit = await s.inspect.rows<{ action: string; actor: string }>(
      "SELECT action, actor FROM audit_log WHERE entity = 'webhook' AND entity_id = ? ORDER BY id",
      [String((await subscriptionRow()).id)],
    )
    expect(audit.length).toBeGreaterThan(0)
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(['ada']))
    await page.context().close()
  })

  it('is not offered to a supervisor', async () => {
    const supervisor = await signInToConsole(browser(), hub(), 'sue', 'supervisor')
    const menu = supervisor.getByRole('navigation', { name: 'Console' })
    expect(await menu.getByRole('link', { name: 'Storefront sync' }).count()).toBe(0)
    await supervisor.context().close()
  })
})
