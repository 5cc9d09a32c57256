import { fileURLToPath } from 'node:url'
import { pageApp } from './page-app.ts'

/** The handheld app, under /handheld/; its service worker's scope is that folder. */
export default pageApp('handheld', fileURLToPath(new URL('../../../handheld/dist', import.meta.url)))
