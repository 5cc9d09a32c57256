import { existsSync } from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { PersonRole } from '@wh/shared'
import type { HubApp } from '../../hub/src/app.ts'
import { accessibilityViolations, launchChromium } from './browser.ts'
import { addPerson, PASSWORD } from './people.ts'
import { httpUrl } from './screen.ts'

const DOCS = new URL('../../docs/', import.meta.url)

/** The screens the console is laid out for: a desk, a wall screen, a 5-inch handheld. */
export const VIEWPORTS = {
  desk: { width: 1280, height: 800 },
  wall: { width: 1920, height: 1080 },
  handheld: { width: 360, height: 640 },
} as const

export function assertConsoleBuilt() {
  if (!existsSync(new URL('../../console/dist/index.html', import.meta.url))) throw new Error('console not built: run `npm run build`')
}

/** Chromium for a test file's console pages: launched before its tests (the console must be built), closed after. */
export function useConsoleBrowser(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    assertConsoleBuilt()
    browser = await launchChromium()
  })
  afterAll(async () => browser?.close())
  return () => browser!
}

/**
 * A person (made here, with `role`) signed in to the console in a fresh browser context, through
 * the sign-in form as anyone would. Each call is its own browser profile, so two people can work
 * side by side.
 */
export async function signInToConsole(
  browser: Browser,
  hub: HubApp,
  username: string,
  role: PersonRole,
  options: { viewport?: keyof typeof VIEWPORTS; sites?: string[]; existing?: boolean } = {},
): Promise<Page> {
  if (!options.existing) await addPerson(hub, username, role, options.sites ? { sites: options.sites } : {})
  const context = await browser.newContext({ viewport: VIEWPORTS[options.viewport ?? 'desk'] })
  const page = await context.newPage()
  await page.goto(`${await httpUrl(hub)}/console/`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'Console' }).waitFor()
  return page
}

/** Opens a console page by its menu link, as a person would. */
export async function openConsolePage(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click()
  await page.getByRole('heading', { level: 1, name: label }).waitFor()
}

/** axe-core's serious and critical findings on the page as shown now: empty when it passes. */
export async function seriousViolations(page: Page): Promise<string[]> {
  return accessibilityViolations(page, ['serious', 'critical'])
}

/** Saves what the page shows as a picture in docs/ (the console's documentation shows these). */
export async function screenshotForDocs(page: Page, name: string) {
  // From the top, as a person first sees the page; focus rings off, so the picture shows the page itself.
  await page.evaluate(() => {
    window.scrollTo(0, 0)
    ;(document.activeElement as HTMLElement | null)?.blur()
  })
  await page.screenshot({ path: new URL(`${name}.png`, DOCS).pathname })
}
