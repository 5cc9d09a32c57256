import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'

const DIST = fileURLToPath(new URL('../../../console/dist', import.meta.url))

/**
 * The office console's files, as `npm run build` left them in console/dist, under /console/.
 * Its pages are routes of one page app, so any other path under /console/ answers index.html.
 */
const consolePage: FastifyPluginAsync = async (app) => {
  if (!existsSync(DIST)) {
    app.log.warn({ dir: DIST }, 'console not built (npm run build); /console is not served')
    return
  }
  await app.register(fastifyStatic, { root: DIST, prefix: '/console/', wildcard: false })
  app.get('/console', (_request, reply) => reply.redirect('/console/'))
  app.get('/console/*', (_request, reply) => reply.type('text/html').sendFile('index.html', DIST))
}

export default consolePage
