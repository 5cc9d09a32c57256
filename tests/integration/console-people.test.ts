import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../helpers/browser.ts'
import { assertConsoleBuilt, screenshotForDocs, seriousViolations, signInToConsole } from '../helpers/console-browser.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('console-people', { products: 2, locations: 1, devices: 0 })
const hub = () => s.hubs[0]!
let browser: Browser

beforeAll(async () => {
  assertConsoleBuilt()
  browser = await launchChromium()
})
afterAll(async () => browser?.close())

describe('the console sign-in', () => {
  it('signs a person in through the form and shows the pages their role may use', async () => {
    const page = await signInToConsole(browser, hub(), 'vera', 'viewer')
    const menu = page.getByRole('navigation', { name: 'Console' })
    expect(await menu.getByRole('link', { name: 'Exceptions' }).isVisible()).toBe(true)
    expect(await menu.getByRole('link', { name: 'People' }).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await screenshotForDocs(page, 'console-signed-in')
    await page.context().close()
  })
})
