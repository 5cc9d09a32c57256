import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { ScanEvent } from '@wh/shared'
import { openConsolePage, screenshotForDocs, seriousViolations, signInToConsole, useConsoleBrowser } from '../helpers/console-browser.ts'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('console-stock', { products: 3, locations: 2, devices: 1 })
const hub = () => s.hubs[0]!
const browser = useConsoleBrowser()

/** Scans through the test device (MQTT, signed) and waits for each to be applied; their ledger rows' ids. */
async function scan(...fields: Parameters<(typeof s.devices)[0]['event']>[0][]): Promise<number[]> {
  const events: ScanEvent[] = fields.map((f) => s.devices[0]!.event(f))
  const acks = await s.devices[0]!.send(events)
  expect(acks.map((a) => a.status)).toEqual(events.map(() => 'applied'))
  const rows = await s.inspect.rows<{ id: number }>('SELECT id FROM stock_movements WHERE event_id IN (?) AND leg = 0 ORDER BY id', [
    events.map((e) => e.eventId),
  ])
  return rows.map((r) => r.id)
}

/** The body rows of the table whose caption starts with `caption`, cell texts each. */
const cells = (page: Page, caption: string) =>
  page
    .getByRole('table', { name: caption })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())))

/** Waits until the table shows `expected` (the page reloads from the hub's change feed, no reload). */
async function untilTable(page: Page, caption: string, expected: string[][], pick: (row: string[]) => string[] = (r) => r) {
  let seen: string[][] = []
  await eventually(`${caption} to show ${JSON.stringify(expected)}`, async () => {
    seen = (await page.getByRole('table', { name: caption }).count()) > 0 ? (await cells(page, caption)).map(pick) : []
    return JSON.stringify(seen) === JSON.stringify(expected)
  }).catch((err: Error) => {
    throw new Error(`${err.message}; it shows ${JSON.stringify(seen)}`)
  })
}

/** `at` as an `<input type="datetime-local">` takes it, in the browser()'s own time zone. */
const localInput = (page: Page, at: Date) =>
  page.evaluate((ms) => {
    const d = new Date(ms)
    const two = (n: number) => String(n).padStart(2, '0')
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
  }, at.getTime())

describe('the console stock page', () => {
  const [sku, gtin] = [() => s.fixture.skus[0]!, () => s.fixture.gtins[0]!]
  const [a, b] = [() => s.fixture.locations[0]!, () => s.fixture.locations[1]!]
  const live = () => `${sku()} per location, live`
  const history = () => `${sku()} movements at ${SITE}, newest first`

  it('lets a supervisor find a product, void a movement, adjust stock and read stock as of an instant', async () => {
    const [receiptA, , pickB] = await scan(
      { type: 'receive', barcode: `(01)${gtin()}(10)L-7(17)271231(37)10`, location: a() },
      { type: 'receive', barcode: sku(), location: b(), qty: 5 },
      { type: 'pick', barcode: sku(), location: b(), qty: 1 },
    )
    // An instant after the receipts and before anything the supervisor does, on a whole second (the picker's step).
    const before = new Date(Math.ceil((Date.now() + 1) / 1000) * 1000)

    const page = await signInToConsole(browser(), hub(), 'sue', 'supervisor')
    await openConsolePage(page, 'Stock')
    await page.getByLabel('Search products by SKU, name or GTIN').fill(gtin())
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await untilTable(page, `Products at ${SITE} matching “${gtin()}”`, [[sku(), `Product ${sku()}`, '14', '0', '14']])
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('link', { name: sku(), exact: true }).click()

    await untilTable(page, live(), [
      [a(), '10', '0', '10'],
      [b(), '4', '0', '4'],
    ])
    await untilTable(
      page,
      `${sku()} per lot`,
      [
        [a(), 'L-7', '2027-12-31', '10'],
        [b(), '(no lot)', '—', '4'],
      ],
      (r) => r.slice(0, 4),
    )

    // Voided meanwhile by someone else: the page shows it without a reload, and the hub's refusal in its words.
    await page.getByRole('button', { name: `Void movement ${pickB}`, exact: true }).click()
    const voidForm = page.getByRole('form', { name: `Void movement ${pickB}` })
    await voidForm.getByLabel('Reason for the void').fill('picked twice')
    const other = await hub().inject({
      method: 'POST',
      url: `/api/movements/${pickB}/void`,
      headers: bearer(s.fixture.keys.admin),
      payload: { reason: 'found the item on the shelf' },
    })
    expect(other.statusCode).toBe(201)
    await untilTable(page, live(), [
      [a(), '10', '0', '10'],
      [b(), '5', '0', '5'],
    ])
    await voidForm.getByRole('button', { name: 'Void it' }).click()
    await eventually(
      'the refusal',
      async () => (await voidForm.getByRole('alert').textContent())?.includes('was voided by movement') ?? false,
    )
    await voidForm.getByRole('button', { name: 'Cancel' }).click()

    // The supervisor's own void: the level falls and the void is in the history, under their name.
    while (Date.now() <= before.getTime()) await new Promise((r) => setTimeout(r, 50))
    await page.getByRole('button', { name: `Void movement ${receiptA}`, exact: true }).click()
    await page.getByLabel('Reason for the void').fill('scanned the wrong pallet')
    await page.getByRole('button', { name: 'Void it' }).click()
    await untilTable(page, live(), [
      [a(), '0', '0', '0'],
      [b(), '5', '0', '5'],
    ])
    const newest = (rows: string[][]) => rows[0]!
    await eventually('the void in the history', async () => {
      const rows = await cells(page, history())
      const voided = rows.find((r) => r[1] === String(receiptA))
      const [, , type, qty, after, location, lot, by, reason, link] = newest(rows)
      return (
        JSON.stringify([type, qty, after, location, lot, by, reason, link]) ===
          JSON.stringify(['void', '−10', '0', a(), 'L-7', 'sue', 'scanned the wrong pallet', `voids #${receiptA}`]) &&
        voided?.[9] === `voided by #${rows[0]![1]}`
      )
    })

    // An office adjustment: the location is counted at 3; a movement like any other, under the person.
    const adjust = page.getByRole('form', { name: `Office adjustment of ${sku()}` })
    await adjust.getByLabel('Location', { exact: true }).selectOption(b())
    await adjust.getByLabel("Set the location's quantity to").check()
    await adjust.getByLabel('Quantity', { exact: true }).fill('3')
    await adjust.getByLabel('Reason', { exact: true }).fill('counted at the shelf')
    await adjust.getByRole('button', { name: 'Adjust stock' }).click()
    await eventually('the adjustment applied', async () =>
      ((await adjust.getByRole('status').textContent()) ?? '').includes(`Applied: ${sku()} at ${b()} −2, now 3 on hand.`),
    )
    await untilTable(page, live(), [
      [a(), '0', '0', '0'],
      [b(), '3', '0', '3'],
    ])
    await eventually('the adjustment in the history', async () => {
      const [, , type, qty, after, location, , by, reason] = newest(await cells(page, history()))
      return (
        JSON.stringify([type, qty, after, location, by, reason]) ===
        JSON.stringify(['count (office)', '−2', '3', b(), 'sue', 'counted at the shelf'])
      )
    })
    expect(await seriousViolations(page)).toEqual([])
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshotForDocs(page, 'console-stock')

    // Stock as of the instant before the void and the adjustment, from the ledger.
    await page.getByLabel('Stock as of (your local time)').fill(await localInput(page, before))
    await page.getByRole('button', { name: 'Show', exact: true }).click()
    await untilTable(
      page,
      `${sku()} per location as of ${await page.evaluate((ms) => new Date(ms).toLocaleString(), before.getTime())}: 14 on hand`,
      [
        [a(), '10'],
        [b(), '4'],
      ],
    )
    await page.getByRole('button', { name: 'Now', exact: true }).click()
    await page.getByRole('table', { name: live() }).waitFor()

    // The audit log names the person, never a body's word.
    const audit = await s.inspect.rows<{ entity: string; action: string; actor: string; reason: string }>(
      "SELECT entity, action, actor, reason FROM audit_log WHERE entity IN ('movement', 'adjustment') ORDER BY id",
    )
    expect(audit).toEqual([
      { entity: 'movement', action: 'void', actor: 'test-admin', reason: 'found the item on the shelf' },
      { entity: 'movement', action: 'void', actor: 'sue', reason: 'scanned the wrong pallet' },
      { entity: 'adjustment', action: 'apply', actor: 'sue', reason: 'counted at the shelf' },
    ])
    expect(await s.inspect.inconsistencies()).toEqual([])

    // The same page on a wall screen.
    const wall = await signInToConsole(browser(), hub(), 'sue', 'supervisor', { viewport: 'wall', existing: true })
    await wall.goto(page.url())
    await untilTable(wall, live(), [
      [a(), '0', '0', '0'],
      [b(), '3', '0', '3'],
    ])
    expect(await seriousViolations(wall)).toEqual([])
    await screenshotForDocs(wall, 'console-stock-wall')
    await Promise.all([page.context().close(), wall.context().close()])
  })

  it('shows a viewer the stock without void or adjust controls, and the hub refuses them', async () => {
    const page = await signInToConsole(browser(), hub(), 'vera', 'viewer', { viewport: 'handheld' })
    await page.goto(`${new URL(page.url()).origin}/console/stock?sku=${sku()}`)
    await untilTable(page, live(), [
      [a(), '0', '0', '0'],
      [b(), '3', '0', '3'],
    ])
    await page.getByRole('table', { name: history() }).waitFor()
    expect(await page.getByRole('button', { name: /^Void/ }).count()).toBe(0)
    expect(await page.getByRole('form', { name: /Office adjustment/ }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    // A handheld scrolls a wide table inside it, never the whole page sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await page.context().close()

    const vera = await PersonClient.signIn(hub(), 'vera')
    const [movement] = await s.inspect.rows<{ id: number }>('SELECT id FROM stock_movements WHERE voids_movement_id IS NULL LIMIT 1')
    const voided = await vera.send('POST', `/api/movements/${movement!.id}/void`, { reason: 'not mine to do' })
    expect([voided.status, voided.body.code]).toEqual([403, 'FORBIDDEN_ROLE'])
    const adjusted = await vera.send('POST', '/api/adjustments', {
      id: crypto.randomUUID(),
      site: SITE,
      sku: sku(),
      location: a(),
      kind: 'set',
      qty: 100,
      reason: 'not mine to do',
    })
    expect([adjusted.status, adjusted.body.code]).toEqual([403, 'FORBIDDEN_ROLE'])
  })
})
