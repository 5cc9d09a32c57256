import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openConsolePage, screenshotForDocs, seriousViolations, signInToConsole, useConsoleBrowser } from '../helpers/console-browser.ts'
import { bearer, gtinFor, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('console-catalog', { products: 2, locations: 2, devices: 0 })
const hub = () => s.hubs[0]!
const browser = useConsoleBrowser()

async function read(url: string) {
  const response = await hub().inject({ method: 'GET', url, headers: bearer(s.fixture.keys.admin) })
  return { status: response.statusCode, body: response.json() }
}

const actorsOf = async (entity: string, entityId: string) =>
  (
    await s.inspect.rows<{ action: string; actor: string }>(
      'SELECT action, actor FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id',
      [entity, entityId],
    )
  ).map((r) => [r.action, r.actor])

const openSection = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Catalog sections' }).getByRole('link', { name }).click()

/** A CSV file as the file picker hands it over. */
const csvFile = (lines: string[]) => ({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') })

describe('the catalog page', () => {
  it('an admin adds a product and its GTINs, then imports a CSV file once its dry run is clean', async () => {
    const page = await signInToConsole(browser(), hub(), 'ada', 'admin')
    await openConsolePage(page, 'Catalog')

    await page.getByRole('button', { name: 'New product' }).click()
    await page.getByLabel('SKU').fill('TEA-100')
    await page.getByLabel('Name').fill('Green tea 100 g')
    await page.getByLabel('Unit').fill('box')
    await page.getByLabel('Reorder threshold').fill('12')
    await page.getByRole('button', { name: 'Create product' }).click()
    await page.getByRole('heading', { level: 2, name: 'TEA-100' }).waitFor()

    const [unit, kase] = [gtinFor(901), gtinFor(902)]
    const addGtin = async (gtin: string, qty: string) => {
      await page.getByLabel('GTIN', { exact: true }).fill(gtin)
      await page.getByLabel('Pack quantity').fill(qty)
      await page.getByRole('button', { name: 'Add GTIN' }).click()
    }
    await addGtin(unit, '1')
    await page.getByRole('cell', { name: unit, exact: true }).waitFor()
    // A wrong check digit is refused in the hub's words, and the set stays as it was.
    const wrong = kase.slice(0, -1) + String((Number(kase.at(-1)) + 1) % 10)
    await addGtin(wrong, '12')
    expect(await page.getByRole('alert').textContent()).toContain(`has a wrong check digit (it should end in ${kase.at(-1)})`)
    await addGtin(kase, '12')
    await page.getByRole('cell', { name: kase, exact: true }).waitFor()
    expect((await read('/api/products/TEA-100')).body).toMatchObject({
      name: 'Green tea 100 g',
      unit: 'box',
      reorderThreshold: 12,
      gtins: [
        { gtin: unit, qty: 1 },
        { gtin: kase, qty: 12 },
      ],
    })
    expect(await actorsOf('product', 'TEA-100')).toEqual([
      ['create', 'ada'],
      ['update', 'ada'],
      ['update', 'ada'],
    ])
    expect(await seriousViolations(page)).toEqual([])
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshotForDocs(page, 'console-catalog')

    // The import: a dry run that names the bad line and column, writes nothing; then the fixed file.
    await openSection(page, 'CSV import')
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('products')
    const header = 'sku,name,unit,reorder_threshold'
    await page.getByLabel('CSV file').setInputFiles(csvFile([header, 'TEA-200,Black tea 200 g,box,6', 'TEA-300,Herbal tea 50 g,box,-2']))
    await page.getByRole('button', { name: 'Check file' }).click()
    await page.getByRole('alert').waitFor()
    const problems = page.getByRole('table', { name: 'Problems by line and column' })
    expect(await problems.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([
      '3',
      'reorder_threshold',
      'INVALID_FIELD',
      expect.any(String),
    ])
    expect((await read('/api/products/TEA-200')).status).toBe(404)
    expect(await page.getByRole('button', { name: /^Apply/ }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])

    await page.getByLabel('CSV file').setInputFiles(csvFile([header, 'TEA-200,Black tea 200 g,box,6', 'TEA-300,Herbal tea 50 g,box,2']))
    await page.getByRole('button', { name: 'Check file' }).click()
    expect(await page.getByRole('status').filter({ hasText: 'no problems' }).textContent()).toContain('products.csv: 2 products rows')
    await page.getByRole('button', { name: 'Apply products.csv' }).click()
    await page.getByRole('status').filter({ hasText: 'Applied: 2 products rows.' }).waitFor()
    expect((await read('/api/products/TEA-300')).body).toMatchObject({ name: 'Herbal tea 50 g', reorderThreshold: 2, active: true })
    // An import is audited per file, under who applied it.
    const [imported] = await s.inspect.rows<{ id: string }>("SELECT id FROM imports WHERE kind = 'products'")
    expect(await actorsOf('import', imported!.id)).toEqual([['apply', 'ada']])

    // Back in the products, the imported ones are listed.
    await openSection(page, 'Products')
    await page.getByRole('link', { name: 'TEA-300' }).waitFor()
    await page.getByRole('link', { name: 'TEA-200' }).click()
    await page.getByRole('button', { name: 'Deactivate' }).click()
    await page.getByRole('heading', { level: 2, name: 'TEA-200 Deactivated' }).waitFor()
    expect((await read('/api/products/TEA-200')).body.active).toBe(false)
    await page.context().close()
  })

  it("an admin adds a location to the chosen site and changes another's flags", async () => {
    const page = await signInToConsole(browser(), hub(), 'alan', 'admin')
    await openConsolePage(page, 'Catalog')
    await openSection(page, 'Locations')
    await page.getByRole('heading', { level: 2, name: `Locations at ${SITE}` }).waitFor()

    await page.getByRole('button', { name: 'New location' }).click()
    await page.getByLabel('Code').fill('B-07')
    await page.getByLabel('Zone').fill('shipping')
    await page.getByRole('switch', { name: /^Reservable/ }).uncheck()
    await page.getByRole('button', { name: 'Create location' }).click()
    await page.getByRole('cell', { name: 'B-07', exact: true }).waitFor()

    const other = s.fixture.locations[0]!
    await page.getByRole('button', { name: `Edit ${other}` }).click()
    await page.getByRole('switch', { name: /^Pickable/ }).uncheck()
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Save location' }).click()
    await page.getByRole('button', { name: 'New location' }).waitFor()

    const { locations } = (await read(`/api/sites/${SITE}/locations`)).body as { locations: { code: string }[] }
    expect(locations).toEqual(
      expect.arrayContaining([
        { site: SITE, code: 'B-07', zone: 'shipping', pickable: true, reservable: false, active: true },
        expect.objectContaining({ code: other, pickable: false, reservable: true, active: true }),
      ]),
    )
    // A code the site has is refused in the hub's words.
    await page.getByRole('button', { name: 'New location' }).click()
    await page.getByLabel('Code').fill('B-07')
    await page.getByRole('button', { name: 'Create location' }).click()
    expect(await page.getByRole('alert').textContent()).toContain('A location with this code already exists at the site')
    await page.context().close()
  })

  it('opening stock goes in through the partitions, the page showing it until every row is in', async () => {
    const [a, b] = s.fixture.skus as [string, string]
    const [l1, l2] = s.fixture.locations as [string, string]
    const page = await signInToConsole(browser(), hub(), 'ida', 'admin')
    await openConsolePage(page, 'Catalog')
    await openSection(page, 'CSV import')
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('stock')
    const rows = ['site,location,sku,qty', `${SITE},${l1},${a},7`, `${SITE},${l2},${b},3`]
    await page.getByLabel('CSV file').setInputFiles({ ...csvFile(rows), name: 'stock.csv' })
    await page.getByRole('button', { name: 'Check file' }).click()
    await page.getByRole('button', { name: 'Apply stock.csv' }).click()
    await page.getByRole('status').filter({ hasText: 'Applied: 2 opening stock rows.' }).waitFor()
    expect((await s.inspect.levels()).map((l) => [l.sku, l.location, l.onHand])).toEqual([
      [a, l1, 7],
      [b, l2, 3],
    ])
    expect(await s.inspect.compare()).toEqual([])
    await page.context().close()
  })

  it('a supervisor reads the catalog on a handheld but is offered no change', async () => {
    const [sku] = s.fixture.skus as [string]
    const page = await signInToConsole(browser(), hub(), 'sue', 'supervisor', { viewport: 'handheld' })
    await openConsolePage(page, 'Catalog')
    await page.getByRole('link', { name: sku, exact: true }).click()
    await page.getByRole('heading', { level: 2, name: sku }).waitFor()
    expect(await page.getByRole('cell', { name: s.fixture.gtins[0]!, exact: true }).isVisible()).toBe(true)
    for (const name of ['New product', 'Edit', 'Deactivate', 'Add GTIN']) expect(await page.getByRole('button', { name }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'CSV import' }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    // Nothing is wider than the handheld's screen: a wide table scrolls within itself.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    // Opened below the list on a handheld, the product takes the focus and is scrolled to.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(sku)
    await screenshotForDocs(page, 'console-catalog-handheld')

    await openSection(page, 'Locations')
    await page.getByRole('cell', { name: s.fixture.locations[1]!, exact: true }).waitFor()
    expect(await page.getByRole('button', { name: /^Edit/ }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await page.context().close()
  })
})
