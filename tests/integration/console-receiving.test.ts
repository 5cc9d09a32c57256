import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openConsolePage, screenshotForDocs, seriousViolations, signInToConsole, useConsoleBrowser } from '../helpers/console-browser.ts'
import { purchaseOrderKit } from '../helpers/purchase-orders.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('console-receiving', { products: 3, locations: 1, devices: 1 })
const { api, create, poId, auditOf, receive } = purchaseOrderKit(s)
const hub = () => s.hubs[0]!
const browser = useConsoleBrowser()

/** What the open PO's progress bar of `sku` shows: received of ordered. */
const progressOf = (page: Page, sku: string) =>
  page
    .getByRole('progressbar', { name: `${sku} received` })
    .evaluate((bar) => `${(bar as HTMLProgressElement).value} / ${(bar as HTMLProgressElement).max}`)

describe('the receiving page', () => {
  it('a supervisor creates a PO, sees a scanner receive against it live, amends and closes it', async () => {
    const [a, b, c] = s.fixture.skus as [string, string, string]
    // Another PO of the site, partly received, beside the one made here.
    await create('PO-6990', [{ sku: b, qty: 24 }], { supplier: 'Globex', expectedAt: '2027-02-26' })
    await receive(b, 18, 'PO-6990')
    const page = await signInToConsole(browser(), hub(), 'sam', 'supervisor')
    await openConsolePage(page, 'Receiving')

    await page.getByRole('button', { name: 'New purchase order' }).click()
    await page.getByLabel('PO number').fill('PO-7001')
    await page.getByLabel('Supplier').fill('Acme')
    await page.getByLabel('Expected on').fill('2027-03-02')
    await page.getByLabel('SKU of new line 1').fill(a)
    await page.getByLabel('Quantity of new line 1').fill('10')
    await page.getByRole('button', { name: 'Add line' }).click()
    await page.getByLabel('SKU of new line 2').fill(b)
    await page.getByLabel('Quantity of new line 2').fill('5')
    await page.getByRole('button', { name: 'Create purchase order' }).click()
    await page.getByRole('heading', { level: 2, name: /PO-7001/ }).waitFor()
    expect(await progressOf(page, a)).toBe('0 / 10')
    expect(await page.getByRole('link', { name: 'PO-7001' }).isVisible()).toBe(true)
    expect((await api('GET', '/api/purchase-orders/PO-7001')).body).toMatchObject({
      site: 'site1',
      supplier: 'Acme',
      expectedAt: '2027-03-02',
    })
    expect((await auditOf((await poId('PO-7001'))!)).map((e) => [e.action, e.actor])).toEqual([['create', 'sam']])
    expect(await seriousViolations(page)).toEqual([])

    // A scanner receives against the PO; the open page shows it without being reloaded.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }))
    await receive(a, 4, 'PO-7001')
    await expect.poll(() => progressOf(page, a)).toBe('4 / 10')
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)

    // An amendment the hub refuses is shown in its words and changes nothing; then one it takes.
    await page.getByRole('button', { name: 'Amend' }).click()
    await page.getByLabel(`Ordered quantity of ${a}`).fill('3')
    await page.getByRole('button', { name: 'Save changes' }).click()
    expect(await page.getByRole('alert').textContent()).toContain(`${a}: 4 received, 3 asked`)
    expect(await page.getByRole('checkbox', { name: `Remove ${a}` }).isDisabled()).toBe(true)
    await page.getByLabel(`Ordered quantity of ${a}`).fill('12')
    await page.getByRole('checkbox', { name: `Remove ${b}` }).check()
    await page.getByRole('button', { name: 'Add line' }).click()
    await page.getByLabel('SKU of new line 1').fill(c)
    await page.getByLabel('Quantity of new line 1').fill('6')
    await page.getByRole('form', { name: 'Amend PO-7001' }).getByLabel('Supplier').fill('Acme Ltd')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('button', { name: 'Amend' }).waitFor()
    expect(await progressOf(page, c)).toBe('0 / 6')
    expect(await progressOf(page, a)).toBe('4 / 12')
    expect(await page.getByRole('progressbar', { name: `${b} received` }).count()).toBe(0)
    expect((await api('GET', '/api/purchase-orders/PO-7001')).body).toMatchObject({
      supplier: 'Acme Ltd',
      lines: [
        { sku: a, ordered: 12, received: 4, remaining: 8 },
        { sku: c, ordered: 6, received: 0, remaining: 6 },
      ],
    })
    await screenshotForDocs(page, 'console-receiving')

    await page.getByRole('button', { name: 'Close…' }).click()
    await page.getByLabel('Reason (optional)').fill('supplier delivers the rest on a new order')
    await page.getByRole('button', { name: 'Close PO-7001' }).click()
    await page.getByRole('heading', { level: 2, name: /PO-7001 Closed/ }).waitFor()
    expect(await page.getByRole('button', { name: 'Amend' }).count()).toBe(0)
    expect((await auditOf((await poId('PO-7001'))!)).map((e) => [e.action, e.actor, e.reason])).toEqual([
      ['create', 'sam', null],
      ['update', 'sam', null],
      ['close', 'sam', 'supplier delivers the rest on a new order'],
    ])
    expect(await seriousViolations(page)).toEqual([])
    await page.context().close()
  })

  it('renumbers a PO with a reason, and finds POs by search and status', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-7100', [{ sku: a, qty: 2 }], { supplier: 'Northwind' })
    await create('PO-7101', [{ sku: a, qty: 2 }], { supplier: 'Contoso' })
    const page = await signInToConsole(browser(), hub(), 'rita', 'supervisor')
    await openConsolePage(page, 'Receiving')
    await page.getByRole('searchbox', { name: 'Search' }).fill('northwind')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('link', { name: 'PO-7101' }).waitFor({ state: 'detached' })
    await page.getByRole('link', { name: 'PO-7100' }).click()
    await page.getByRole('button', { name: 'Renumber…' }).click()
    await page.getByLabel('New PO number').fill('PO-7100-B')
    await page.getByLabel('Reason').fill('supplier reissued the order')
    await page.getByRole('button', { name: 'Renumber', exact: true }).click()
    await page.getByRole('heading', { level: 2, name: /PO-7100-B/ }).waitFor()
    expect(await page.getByRole('status').textContent()).toContain('PO-7100 is now PO-7100-B')
    expect((await api('GET', '/api/purchase-orders/PO-7100')).status).toBe(404)

    await page.getByRole('combobox', { name: 'Status' }).selectOption('cancelled')
    await page.getByText('No purchase order matches “northwind”.').waitFor()
    await page.context().close()
  })

  it('a viewer reads POs and their progress on a handheld but is offered no change', async () => {
    const [a] = s.fixture.skus as [string]
    await create('PO-7200', [{ sku: a, qty: 3 }])
    const page = await signInToConsole(browser(), hub(), 'vic', 'viewer', { viewport: 'handheld' })
    await openConsolePage(page, 'Receiving')
    await page.getByRole('link', { name: 'PO-7200' }).click()
    expect(await progressOf(page, a)).toBe('0 / 3')
    // Nothing is wider than the handheld's screen: a wide table scrolls within itself.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(await page.getByRole('button', { name: 'New purchase order' }).count()).toBe(0)
    for (const name of ['Amend', 'Close…', 'Cancel…', 'Renumber…']) expect(await page.getByRole('button', { name }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await page.context().close()
  })
})
