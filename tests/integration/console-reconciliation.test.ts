import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.ts'
import { assertConsoleBuilt, openConsolePage, screenshotForDocs, seriousViolations, signInToConsole } from '../helpers/console-browser.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

// No schedulers: the only runs are the ones the supervisor starts in the console.
const s = useScenario('console-recon', {
  products: 3,
  locations: 2,
  devices: 1,
  hubs: [{ RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0 }],
})
const hub = () => s.hubs[0]!
let browser: Browser
/** The runs the supervisor starts: a dry one, then a real one. */
const started: number[] = []

beforeAll(async () => {
  assertConsoleBuilt()
  browser = await launchChromium()
})
afterAll(async () => browser?.close())

const P1_AT_L1 = `product_id = (SELECT id FROM products WHERE sku = 'P-1') AND location_id = (SELECT id FROM locations WHERE code = 'L-1')`
const onHandOfP1 = async () => (await s.inspect.rows<{ n: number }>(`SELECT on_hand AS n FROM stock_levels WHERE ${P1_AT_L1}`))[0]!.n

/** Starts a run with a button and waits, without reloading, until the page shows it done; returns its id. */
async function startRun(page: Page, button: 'Run now' | 'Dry run'): Promise<number> {
  await page.getByRole('button', { name: button }).click()
  const status = page.getByRole('status')
  await status.filter({ hasText: /queued/ }).waitFor()
  const title = /^(Full (?:dry )?run \d+) queued\.$/.exec((await status.textContent())!)![1]!
  // The worker runs it and the hub announces its end: the list shows it done by itself.
  await page.locator('details.run summary', { hasText: new RegExp(`${title} · done`) }).waitFor()
  return Number(title.split(' ').at(-1))
}

/** The findings of the run titled so, as the page's table shows them, one line each. */
async function findingsShown(page: Page, runId: number): Promise<string[]> {
  const run = page.locator('details.run', { has: page.locator('summary', { hasText: new RegExp(`run ${runId} ·`) }) })
  return run
    .getByRole('table', { name: `Findings at ${SITE}` })
    .evaluate((table) =>
      [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join(' | ')),
    )
}

describe('the console reconciliation page', () => {
  it('a dry run reports drift made behind the hub, corrects nothing; a real run then corrects it', async () => {
    const device = s.devices[0]!
    await device.send([device.event({ type: 'receive', barcode: 'P-1', location: 'L-1', qty: 20 })])
    // Drift behind the hub's back: the level says 7 more than its ledger.
    await s.inspect.db.query(`UPDATE stock_levels SET on_hand = on_hand + 7 WHERE ${P1_AT_L1}`)

    const page = await signInToConsole(browser, hub(), 'rosa', 'supervisor')
    await openConsolePage(page, 'Reconciliation')
    await page.getByLabel('Scope').selectOption('full')

    const dry = await startRun(page, 'Dry run')
    started.push(dry)
    expect(await findingsShown(page, dry)).toEqual(['On hand against the ledger | P-1 | L-1 | 27 | 20 | Would be corrected'])
    expect(await onHandOfP1()).toBe(27)
    expect(await s.inspect.rows(`SELECT id FROM audit_log WHERE action = 'reconcile'`)).toEqual([])
    // Who asked for the run is in the audit log.
    expect(await s.inspect.rows(`SELECT actor, entity_id FROM audit_log WHERE entity = 'reconciliation_run'`)).toEqual([
      { actor: 'rosa', entity_id: String(dry) },
    ])
    expect(await seriousViolations(page)).toEqual([])

    const real = await startRun(page, 'Run now')
    started.push(real)
    expect(await findingsShown(page, real)).toEqual(['On hand against the ledger | P-1 | L-1 | 27 | 20 | Corrected'])
    expect(await onHandOfP1()).toBe(20)
    expect(await s.inspect.inconsistencies()).toEqual([])
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-reconciliation')
    await page.context().close()
  })

  it('a viewer reads the runs, and may hide the ones that found nothing, but is offered no button to start one', async () => {
    const clean = await hub().reconciliation.runner.run({ scope: 'full', dryRun: false, trigger: 'cli' })
    expect(clean.discrepancies).toBe(0)
    const page = await signInToConsole(browser, hub(), 'vik', 'viewer')
    await openConsolePage(page, 'Reconciliation')
    const titles = () => page.locator('details.run summary strong').allInnerTexts()
    await page.locator('details.run summary', { hasText: `Full run ${clean.id} ·` }).waitFor()
    const [dry, real] = started
    expect(await titles()).toEqual([`Full run ${clean.id}`, `Full run ${real}`, `Full dry run ${dry}`])

    await page.getByLabel('Only runs that found something').check()
    await page.locator('details.run summary', { hasText: `Full run ${clean.id} ·` }).waitFor({ state: 'detached' })
    expect(await titles()).toEqual([`Full run ${real}`, `Full dry run ${dry}`])
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Dry run' }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await page.context().close()
  })
})
