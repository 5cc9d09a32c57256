import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { HealthDetails } from '@wh/shared'
import { launchChromium } from '../helpers/browser.ts'
import { assertConsoleBuilt, openConsolePage, screenshotForDocs, seriousViolations, signInToConsole } from '../helpers/console-browser.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { addPerson, PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'
import { useScannerKit } from '../helpers/scanners.ts'
import { httpUrl } from '../helpers/screen.ts'

// No worker: the events a device sends wait in their partitions' inboxes, a backlog to show,
// stalled after a second.
const s = useScenario('console-health', {
  products: 3,
  locations: 1,
  devices: 2,
  hubs: [{ HUB_ROLES: 'api,ingest', RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0, PIPELINE_STALL_SECONDS: 1 }],
})
const kit = useScannerKit(s)
const hub = () => s.hubs[0]!
const WAITING = { 'P-1': 9, 'P-2': 4, 'P-3': 2 }
let browser: Browser
let viewer: PersonClient

const details = async () => (await viewer.send<HealthDetails>('GET', `/api/health/details?site=${SITE}`)).body

beforeAll(async () => {
  assertConsoleBuilt()
  browser = await launchChromium()
  await addPerson(hub(), 'val', 'viewer')
  viewer = await PersonClient.signIn(hub(), 'val')
  // D-1 is a real scanner, online; D-2 never says so, and sends events nobody applies.
  await kit.start('D-1')
  const device = s.devices[1]!
  for (const [sku, n] of Object.entries(WAITING))
    for (let i = 0; i < n; i++) await device.publish(device.event({ type: 'receive', barcode: sku, location: 'L-1', qty: 1 }))
  await hub().reconciliation.runner.run({ scope: 'full', dryRun: false, trigger: 'cli' })
  await eventually('the backlog, stalled, and the scanner online', async () => {
    const h = await details()
    const backlog = h.partitions?.filter((p) => p.waiting > 0) ?? []
    const stalled = h.warnings.filter((w) => w.code === 'PARTITION_STALLED')
    return backlog.reduce((n, p) => n + p.waiting, 0) === 15 && stalled.length === backlog.length && h.devices?.online === 1
  })
})
afterAll(async () => browser?.close())

/** The page's table of that name, as its rows' cell texts. */
const tableRows = (page: Page, name: string) =>
  page
    .getByRole('table', { name })
    .evaluate((table) => [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!)))

describe('the console health page', () => {
  it('shows the stalled partitions, the services up, each partition’s backlog, the site’s devices and the last run', async () => {
    const page = await signInToConsole(browser, hub(), 'val', 'viewer', { existing: true })
    await openConsolePage(page, 'Health')
    const services = page.getByRole('list', { name: 'Services' })
    await services.waitFor()
    expect(await services.getByRole('listitem').allInnerTexts()).toEqual(['MySQL\nUp', 'Redis\nUp', 'MQTT broker\nUp', 'Job queues\nUp'])

    const partitions = await tableRows(page, 'Events waiting per partition')
    expect(partitions.map((r) => r[0])).toEqual(['0', '1', '2', '3'])
    expect(partitions.reduce((n, r) => n + Number(r[1]), 0)).toBe(15)
    // Each product's events share a partition: the busiest waits with all nine of P-1's.
    expect(Math.max(...partitions.map((r) => Number(r[1])))).toBeGreaterThanOrEqual(9)
    expect(partitions.filter((r) => Number(r[1]) > 0).every((r) => r[2] !== 'none waiting')).toBe(true)
    // Nothing drains them: each partition with a backlog is named stalled, first on the page.
    const warnings = await page.getByRole('list', { name: 'Warnings' }).getByRole('listitem').allInnerTexts()
    const named = warnings.map((w) => /^Partition (\d+)'s oldest waiting event has waited [\d.]+ s \(stalled past 1 s\)$/.exec(w)?.[1])
    expect(named).toEqual(partitions.filter((r) => Number(r[1]) > 0).map((r) => r[0]))

    await page.getByText(`1 of 2 online at ${SITE}`).waitFor()
    const devices = await tableRows(page, `Devices at ${SITE}`)
    expect(devices.map((r) => [r[0], r[2]])).toEqual([
      ['D-1', 'Online'],
      ['D-2', 'Offline'],
    ])
    await page.getByText(/^Full run \d+$/).waitFor()
    // A viewer is not offered the queue view, which is an admin's.
    expect(await page.getByRole('link', { name: 'Open the queue view' }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-health')
    await page.context().close()
  })

  it('fills a wall screen', async () => {
    const page = await signInToConsole(browser, hub(), 'val', 'viewer', { existing: true, viewport: 'wall' })
    await openConsolePage(page, 'Health')
    await page.getByText(`1 of 2 online at ${SITE}`).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-health-wall')
    await page.context().close()
  })

  it("an admin's session opens the queue view from the page and works it; a viewer's is refused it", async () => {
    const page = await signInToConsole(browser, hub(), 'ada', 'admin')
    await openConsolePage(page, 'Health')
    await page.getByRole('link', { name: 'Open the queue view' }).click()
    await page.waitForURL('**/admin/queues')
    await page.getByText('Warehouse hub queues').first().waitFor()
    // The view's own API, which its page calls, takes the session too; its changes carry the
    // session's CSRF token as bull-board's client sends it, from the XSRF-TOKEN cookie.
    const queues = await page.request.get(`${await httpUrl(hub())}/admin/queues/api/queues?page=1&jobsPerPage=10`)
    expect(queues.status()).toBe(200)
    const put = (path: string, withToken: boolean) =>
      page.evaluate(
        async ([path, withToken]) => {
          const token = decodeURIComponent(/XSRF-TOKEN=([^;]+)/.exec(document.cookie)?.[1] ?? '')
          const headers: Record<string, string> = withToken ? { 'x-xsrf-token': token } : {}
          return (await fetch(path, { method: 'PUT', headers })).status
        },
        [path, withToken] as const,
      )
    const reconcileQueue = hub().ops.queues.find((q) => q.name === 'reconcile')!
    expect(await put('/admin/queues/api/queues/reconcile/pause', false)).toBe(403)
    expect(await reconcileQueue.isPaused()).toBe(false)
    expect(await put('/admin/queues/api/queues/reconcile/pause', true)).toBe(200)
    expect(await reconcileQueue.isPaused()).toBe(true)
    // The health page says so, beside the stalled partitions.
    const health = await page.context().newPage()
    await health.goto(`${await httpUrl(hub())}/console/`)
    await openConsolePage(health, 'Health')
    await health.getByRole('list', { name: 'Warnings' }).getByText('Paused: reconcile', { exact: false }).waitFor()
    expect(await health.getByRole('list', { name: 'Services' }).getByRole('listitem').allInnerTexts()).toContain('Job queues\nPaused')
    expect(await put('/admin/queues/api/queues/reconcile/resume', true)).toBe(200)
    expect(await reconcileQueue.isPaused()).toBe(false)
    await page.context().close()

    expect(await viewer.send('GET', '/admin/queues')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } })
  })

  it('names the site it reads, and keeps a viewer limited to sites to theirs', async () => {
    expect(await viewer.send('GET', '/api/health/details')).toMatchObject({ status: 400, body: { code: 'SITE_REQUIRED' } })
    await addPerson(hub(), 'lim', 'viewer', { sites: ['elsewhere'] })
    const limited = await PersonClient.signIn(hub(), 'lim')
    expect(await limited.send('GET', `/api/health/details?site=${SITE}`)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_SITE' } })
  })
})
