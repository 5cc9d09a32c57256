import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { HeldEvent, HeldEventPage, ScanEvent } from '@wh/shared'
import { launchChromium } from '../helpers/browser.ts'
import { assertConsoleBuilt, openConsolePage, screenshotForDocs, seriousViolations, signInToConsole } from '../helpers/console-browser.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { TestScreen } from '../helpers/screen.ts'

const s = useScenario('console-exceptions', { products: 8, locations: 2, devices: 1 })
const hub = () => s.hubs[0]!
const device = () => s.devices[0]!
const [L1, L2] = ['L-1', 'L-2']
let browser: Browser
let screen: TestScreen
let page: Page

beforeAll(async () => {
  assertConsoleBuilt()
  browser = await launchChromium()
  screen = await TestScreen.open(hub(), { apiKey: s.fixture.keys.viewer })
})
afterAll(async () => {
  screen?.close()
  await browser?.close()
})

const asAdmin = (method: string, url: string, payload?: object) =>
  hub().inject({ method, url, headers: bearer(s.fixture.keys.admin), ...(payload ? { payload } : {}) })

/** Scans the event; it must be held, and is answered as the hub lists it. */
async function held(fields: Parameters<ReturnType<typeof device>['event']>[0]): Promise<HeldEvent & { scan: ScanEvent }> {
  const scan = device().event(fields)
  expect((await device().send([scan]))[0]).toMatchObject({ status: 'held' })
  const listed = (await asAdmin('GET', '/api/held-events?limit=500')).json() as HeldEventPage
  return { ...listed.items.find((h) => h.eventId === scan.eventId)!, scan }
}
const receive = (sku: string, location: string, qty: number) =>
  device().send([device().event({ type: 'receive', barcode: sku, location, qty })])

/** A held event's card on the page, named by its heading. */
const card = (p: Page, id: number) => p.getByRole('article', { name: new RegExp(`^#${id} ·`) })
const outcomes = (p: Page) => p.getByRole('status').getByRole('listitem')
const ackOf = (eventId: string, status: string) =>
  device().waitFor(() =>
    device()
      .acksFor(eventId)
      .some((a) => a.status === status),
  )
const auditActor = async (eventId: string) =>
  (await s.inspect.rows<{ actor: string }>(`SELECT actor FROM audit_log WHERE entity = 'held_event' AND entity_id = ?`, [eventId]))[0]
    ?.actor

/** Opens the card's decision form, chooses, gives the reason and submits with `button`. */
async function decide(p: Page, id: number, choice: string, reason: string, button: 'Approve' | 'Reject', figure?: [string, string]) {
  const row = card(p, id)
  await row.getByRole('button', { name: 'Decide' }).click()
  await row.getByLabel(choice, { exact: true }).check()
  if (figure) await row.getByLabel(figure[0], { exact: true }).fill(figure[1])
  await row.getByLabel('Reason', { exact: true }).fill(reason)
  await row.getByRole('button', { name: button, exact: true }).click()
}

describe('the exceptions page', () => {
  it('explains a held short pick with the stock now; approved after a count, the device and the floor hear it', async () => {
    const [sku] = s.fixture.skus
    await receive(sku!, L1, 2)
    const pick = await held({ type: 'pick', barcode: sku!, location: L1, qty: 5 })

    page = await signInToConsole(browser, hub(), 'sue', 'supervisor')
    await openConsolePage(page, 'Exceptions')
    const row = card(page, pick.id)
    await row.getByText(`Picked 5 but the system shows only 2 available at ${L1}.`).waitFor()
    expect(await row.textContent()).toContain(`Stock now at ${L1}: 2 on hand, 2 available`)
    expect(await row.textContent()).toContain(`device ${device().deviceId}`)

    await decide(page, pick.id, `Approve after a count of ${L1}`, 'Counted the bin: 9', 'Approve', [`Counted on hand at ${L1}`, '9'])
    await outcomes(page).getByText(`#${pick.id} approved: 4 on hand, 4 available at ${L1}`).waitFor()
    await row.waitFor({ state: 'detached' })

    await ackOf(pick.eventId, 'applied')
    await eventually('the floor screen to show the new stock', () => screen.onHand()[`${sku}/${L1}`] === 4)
    await eventually('the floor screen to drop it from its held list', () =>
      screen.of('held_event').some((m) => m.decided?.includes(pick.eventId)),
    )
    expect(await auditActor(pick.eventId)).toBe('sue')
  })

  it('shows an event held meanwhile without a reload, and rejects it with a reason the device hears', async () => {
    await page.evaluate(() => Object.assign(window, { sameLoad: true }))
    const pick = await held({ type: 'pick', barcode: s.fixture.skus[1]!, location: L2, qty: 3 })
    await card(page, pick.id).getByText(`Picked 3 but the system shows only 0 available at ${L2}.`).waitFor()

    await decide(page, pick.id, 'Reject', 'Scanned the wrong bin', 'Reject')
    await outcomes(page).getByText(`#${pick.id} rejected: 0 on hand, 0 available at ${L2}`).waitFor()
    await ackOf(pick.eventId, 'rejected')
    expect(device().acksFor(pick.eventId).at(-1)).toMatchObject({ status: 'rejected', code: 'HELD_REJECTED' })
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true)
  })

  it('approves with another quantity, and a receipt on an unknown PO without it', async () => {
    const [pickSku, poSku] = [s.fixture.skus[2]!, s.fixture.skus[3]!]
    await receive(pickSku, L1, 3)
    const pick = await held({ type: 'pick', barcode: pickSku, location: L1, qty: 5 })
    const receipt = await held({ type: 'receive', barcode: poSku, location: L2, qty: 6, poNumber: 'PO-NOWHERE' })
    await card(page, receipt.id)
      .getByText('Received 6 against PO-NOWHERE, but this site has no purchase order with that number.', { exact: false })
      .waitFor()

    await decide(page, pick.id, 'Approve with another quantity', 'Only 3 were there', 'Approve', ['Quantity', '3'])
    await outcomes(page).getByText(`#${pick.id} approved: 0 on hand, 0 available at ${L1}`).waitFor()
    await decide(page, receipt.id, 'Approve without the PO', 'Delivered without paperwork', 'Approve')
    await outcomes(page).getByText(`#${receipt.id} approved: 6 on hand, 6 available at ${L2}`).waitFor()
    await ackOf(pick.eventId, 'applied')
    await ackOf(receipt.eventId, 'applied')
  })

  it('decides several at once and tells each outcome, a refusal in the hub’s words', async () => {
    const [a, b, c] = [s.fixture.skus[4]!, s.fixture.skus[5]!, s.fixture.skus[6]!]
    const first = await held({ type: 'pick', barcode: a, location: L1, qty: 4 })
    const second = await held({ type: 'pick', barcode: b, location: L1, qty: 4 })
    const third = await held({ type: 'pick', barcode: c, location: L2, qty: 2 })
    // Stock arrives for the first only: it now applies as it is, the second still cannot.
    await receive(a, L1, 6)

    const bulk = page.getByRole('form', { name: 'Decide the selected' })
    await page.getByLabel(`Select #${first.id}`).check()
    await page.getByLabel(`Select #${second.id}`).check()
    await bulk.getByLabel('Reason for the selected').fill('The stock was there')
    await bulk.getByRole('button', { name: 'Approve selected as they are' }).click()
    await outcomes(page).getByText(`#${first.id} approved: 2 on hand, 2 available at ${L1}`).waitFor()
    const refused = outcomes(page).getByText(`#${second.id} refused:`)
    expect(await refused.textContent()).toBe(
      `#${second.id} refused: The held event still cannot be applied as approved: Not enough available stock: pick 4, available 0`,
    )
    await card(page, first.id).waitFor({ state: 'detached' })
    expect(await page.getByLabel(`Select #${second.id}`).isChecked()).toBe(true)

    await page.getByLabel(`Select #${third.id}`).check()
    await bulk.getByLabel('Reason for the selected').fill('Wrong bins scanned')
    await bulk.getByRole('button', { name: 'Reject selected' }).click()
    await outcomes(page).getByText(`#${third.id} rejected`).waitFor()
    await outcomes(page).getByText(`#${second.id} rejected`).waitFor()
    await ackOf(first.eventId, 'applied')
    for (const e of [second, third]) {
      await ackOf(e.eventId, 'rejected')
      expect(device().acksFor(e.eventId).at(-1)).toMatchObject({ code: 'HELD_REJECTED' })
    }
  })

  it('tells the hub’s refusal when someone else decided first, keeping the form on screen', async () => {
    const pick = await held({ type: 'pick', barcode: s.fixture.skus[7]!, location: L2, qty: 9 })
    await card(page, pick.id).waitFor()
    // Another person rejects it just before this approval reaches the hub.
    await page.route(`**/api/held-events/${pick.id}/approve`, async (route) => {
      expect((await asAdmin('POST', `/api/held-events/${pick.id}/reject`, { reason: 'duplicate scan' })).statusCode).toBe(200)
      await route.continue()
    })
    await decide(page, pick.id, `Approve after a count of ${L2}`, 'Found them', 'Approve', [`Counted on hand at ${L2}`, '9'])
    const row = card(page, pick.id)
    expect(await row.getByRole('alert').textContent()).toBe(
      `The held event has already been decided: held event ${pick.id} was already rejected`,
    )
    await row.getByText('No longer waiting: it was decided elsewhere meanwhile.').waitFor()
    await row.getByRole('button', { name: 'Cancel' }).click()
    await row.waitFor({ state: 'detached' })
    await page.unroute(`**/api/held-events/${pick.id}/approve`)
  })

  it('shows a viewer the queue without actions, and passes axe on desk and handheld', async () => {
    const waiting = await held({ type: 'pick', barcode: s.fixture.skus[0]!, location: L2, qty: 7 })
    await held({ type: 'move', barcode: s.fixture.skus[1]!, location: L1, toLocation: L2, qty: 2 })
    const viewer = await signInToConsole(browser, hub(), 'vic', 'viewer')
    await openConsolePage(viewer, 'Exceptions')
    await card(viewer, waiting.id).getByText(`Picked 7 but the system shows only 0 available at ${L2}.`).waitFor()
    expect(await viewer.getByRole('button', { name: 'Decide' }).count()).toBe(0)
    expect(await viewer.getByRole('checkbox').count()).toBe(0)
    expect(await viewer.getByRole('form', { name: 'Decide the selected' }).count()).toBe(0)
    expect(await seriousViolations(viewer)).toEqual([])
    await viewer.context().close()

    // The supervisor's page with a decision form open, as the docs show it.
    await card(page, waiting.id).getByRole('button', { name: 'Decide' }).click()
    await card(page, waiting.id).getByLabel(`Approve after a count of ${L2}`).check()
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-exceptions')

    const handheld = await signInToConsole(browser, hub(), 'hana', 'supervisor', { viewport: 'handheld' })
    await openConsolePage(handheld, 'Exceptions')
    await card(handheld, waiting.id).getByRole('button', { name: 'Decide' }).waitFor()
    expect(await handheld.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(await seriousViolations(handheld)).toEqual([])
    await screenshotForDocs(handheld, 'console-exceptions-handheld')
    await handheld.context().close()
    await page.context().close()
  })
})
