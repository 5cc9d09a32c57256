import { fileURLToPath } from 'node:url'
import { pageApp } from './page-app.ts'

/** The office console, under /console/. */
export default pageApp('console', fileURLToPath(new URL('../../../console/dist', import.meta.url)))
