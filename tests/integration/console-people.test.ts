import { describe, expect, it } from 'vitest'
import { openConsolePage, screenshotForDocs, seriousViolations, signInToConsole, useConsoleBrowser } from '../helpers/console-browser.ts'
import { PASSWORD } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('console-people', { products: 2, locations: 1, devices: 0 })
const hub = () => s.hubs[0]!
const browser = useConsoleBrowser()

const signInForm = (page: import('playwright-core').Page) => page.getByRole('button', { name: 'Sign in' })

describe('the console’s people and accounts', () => {
  it('shows a viewer only the pages a viewer may use', async () => {
    const page = await signInToConsole(browser(), hub(), 'vera', 'viewer')
    const menu = page.getByRole('navigation', { name: 'Console' })
    expect(await menu.getByRole('link', { name: 'Exceptions' }).isVisible()).toBe(true)
    expect(await menu.getByRole('link', { name: 'People' }).count()).toBe(0)
    expect(await menu.getByRole('link', { name: 'Devices & keys' }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await page.context().close()
  })

  it('lets an admin add a supervisor, who signs in; disabling them signs them out at once', async () => {
    const admin = await signInToConsole(browser(), hub(), 'ada', 'admin')
    await openConsolePage(admin, 'People')
    const form = admin.getByRole('form', { name: 'Add a person' })
    await form.getByLabel('Username').fill('sam')
    await form.getByLabel('Name', { exact: true }).fill('Sam Field')
    await form.getByLabel('Role').selectOption('supervisor')
    await form.getByLabel(/^Password/).fill(PASSWORD)
    await form.getByRole('button', { name: 'Add person' }).click()
    await admin.getByRole('cell', { name: 'Sam Field' }).waitFor()
    expect(await seriousViolations(admin)).toEqual([])
    await screenshotForDocs(admin, 'console-people')

    const sam = await signInToConsole(browser(), hub(), 'sam', 'supervisor', { existing: true })
    expect(await sam.getByRole('link', { name: 'Account of Sam Field' }).isVisible()).toBe(true)

    await admin.getByRole('button', { name: 'Disable sam' }).click()
    await admin.getByRole('button', { name: 'Enable sam' }).waitFor()
    // Sam's open console learns from its change stream that the session is gone.
    await signInForm(sam).waitFor({ timeout: 15_000 })
    const audit = await s.inspect.rows<{ action: string; actor: string }>(
      "SELECT action, actor FROM audit_log WHERE entity = 'user' AND entity_id = 'sam' ORDER BY id",
    )
    expect(audit).toEqual([
      { action: 'create', actor: 'ada' },
      { action: 'disable', actor: 'ada' },
    ])
    await sam.context().close()
    await admin.context().close()
  })

  it('changes one’s own password, which ends the other sessions, and signs out everywhere', async () => {
    const desk = await signInToConsole(browser(), hub(), 'pat', 'viewer', { viewport: 'handheld' })
    const other = await signInToConsole(browser(), hub(), 'pat', 'viewer', { existing: true })
    await desk.getByRole('link', { name: /Account of/ }).click()
    const form = desk.getByRole('form', { name: 'Change password' })
    await form.getByLabel('Current password').fill(PASSWORD)
    await form.getByLabel('New password (12 characters or more)').fill('pat has a new passphrase')
    await form.getByLabel('New password again').fill('pat has a new passphrase')
    await form.getByRole('button', { name: 'Change password' }).click()
    await desk.getByRole('status').filter({ hasText: 'Password changed' }).waitFor()
    expect(await seriousViolations(desk)).toEqual([])
    await screenshotForDocs(desk, 'console-account-handheld')
    await signInForm(other).waitFor({ timeout: 15_000 })

    await desk.getByRole('button', { name: 'Sign out everywhere' }).click()
    await signInForm(desk).waitFor()
    await desk.context().close()
    await other.context().close()
  })
})
