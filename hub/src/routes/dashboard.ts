import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'

const DIST = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url))

/** The floor-screen page, as `npm run build` left it in dashboard/dist. */
const dashboard: FastifyPluginAsync = async (app) => {
  if (!existsSync(DIST)) {
    app.log.warn({ dir: DIST }, 'dashboard not built (npm run build); / is not served')
    return
  }
  await app.register(fastifyStatic, { root: DIST, index: 'index.html' })
}

export default dashboard
