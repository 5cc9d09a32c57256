import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { parse } from 'csv-parse/sync'
import type { AuditPage, HeldEvent, ScanEvent } from '@wh/shared'
import { launchChromium } from '../helpers/browser.ts'
import { assertConsoleBuilt, openConsolePage, screenshotForDocs, seriousViolations, signInToConsole } from '../helpers/console-browser.ts'
import { addPerson, PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('console-audit', { products: 2, locations: 1, devices: 1 })
const hub = () => s.hubs[0]!
let browser: Browser
let sam: PersonClient
/** The picks the hub held for want of stock: sam approves the first, rita rejects the second. */
let approved: ScanEvent
let rejected: ScanEvent

beforeAll(async () => {
  assertConsoleBuilt()
  browser = await launchChromium()
  const device = s.devices[0]!
  approved = device.event({ type: 'pick', barcode: 'P-1', location: 'L-1', qty: 3 })
  rejected = device.event({ type: 'pick', barcode: 'P-2', location: 'L-1', qty: 2 })
  const acks = await device.send([approved, rejected])
  expect(acks.map((a) => a.status)).toEqual(['held', 'held'])

  await addPerson(hub(), 'sam', 'supervisor')
  await addPerson(hub(), 'rita', 'supervisor')
  sam = await PersonClient.signIn(hub(), 'sam')
  const rita = await PersonClient.signIn(hub(), 'rita')
  const held = (await sam.send<{ items: HeldEvent[] }>('GET', '/api/held-events?status=pending')).body.items
  const idOf = (e: ScanEvent) => held.find((h) => h.eventId === e.eventId)!.id
  const approval = await sam.send('POST', `/api/held-events/${idOf(approved)}/approve`, {
    reason: 'counted 3 on the shelf',
    countedOnHand: 3,
  })
  expect(approval.status).toBe(200)
  expect((await rita.send('POST', `/api/held-events/${idOf(rejected)}/reject`, { reason: 'scanned twice' })).status).toBe(200)
})
afterAll(async () => browser?.close())

describe('the audit log', () => {
  it("a supervisor finds their own approval with 'My changes only', and downloads it as CSV", async () => {
    const page = await signInToConsole(browser, hub(), 'sam', 'supervisor', { existing: true })
    await openConsolePage(page, 'Audit log')
    const table = page.getByRole('table', { name: 'Audit log entries, newest first' })
    await table.getByRole('cell', { name: 'rita', exact: true }).waitFor()

    await page.getByLabel('My changes only').check()
    await table.getByRole('cell', { name: 'rita', exact: true }).waitFor({ state: 'detached' })
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ')))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain(`sam approve held_event ${approved.eventId} counted 3 on the shelf`)
    // The change, field by field: the state it left and the one it made.
    expect(rows[0]).toContain('status pending → approved')
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-audit')

    // The download link carries the filter, and the browser fetches it with the session.
    const link = page.getByRole('link', { name: 'Download CSV' })
    expect(await link.getAttribute('href')).toBe('/api/audit.csv?actor=sam')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toBe('audit-log.csv')
    const text = await readFile(await download.path(), 'utf8')
    const records = parse(text, { columns: true }) as Record<string, string>[]
    expect(records.map((r) => [r.actor, r.action, r.entity, r.entity_id, r.reason])).toEqual([
      ['sam', 'approve', 'held_event', approved.eventId, 'counted 3 on the shelf'],
    ])
    expect(JSON.parse(records[0]!.after!)).toMatchObject({ status: 'approved', countedOnHand: 3 })
    await page.context().close()
  })

  it('filters by entity, id, action and time, newest first, a page at a time by id', async () => {
    const page = async (q: string) => (await sam.send<AuditPage>('GET', `/api/audit?${q}`)).body
    const decisions = await page('entity=held_event')
    expect(decisions.items.map((e) => [e.actor, e.action, e.entityId])).toEqual([
      ['rita', 'reject', rejected.eventId],
      ['sam', 'approve', approved.eventId],
    ])
    expect((await page(`entityId=${rejected.eventId}&action=reject`)).items.map((e) => e.actor)).toEqual(['rita'])
    expect((await page('action=approve&actor=rita')).items).toEqual([])

    const first = await page('entity=held_event&limit=1')
    expect(first.items.map((e) => e.actor)).toEqual(['rita'])
    const second = await page(`entity=held_event&limit=1&before=${first.next}`)
    expect(second).toMatchObject({ items: [{ actor: 'sam' }], next: null })

    const at = decisions.items[1]!.createdAt
    expect((await page(`entity=held_event&to=${encodeURIComponent(at)}`)).items).toEqual([])
    expect((await page(`entity=held_event&from=${encodeURIComponent(at)}`)).items).toHaveLength(2)
    const future = new Date(Date.now() + 3600_000).toISOString()
    expect((await page(`from=${encodeURIComponent(future)}`)).items).toEqual([])
  })

  it('refuses bad filters with a code, and refuses a viewer the log and its file', async () => {
    const inverted = await sam.send('GET', '/api/audit?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')
    expect(inverted).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } })
    expect((await sam.send('GET', '/api/audit.csv?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).status).toBe(400)
    expect(await sam.send('GET', '/api/audit?limit=0')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } })
    expect(await sam.send('GET', '/api/audit?from=yesterday')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } })
    expect(await sam.send('GET', '/api/audit?who=sam')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } })

    await addPerson(hub(), 'vera', 'viewer')
    const vera = await PersonClient.signIn(hub(), 'vera')
    expect(await vera.send('GET', '/api/audit')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } })
    expect(await vera.send('GET', '/api/audit.csv')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } })
  })
})
