import { existsSync } from 'node:fs'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'

/**
 * A one-page app's files, as `npm run build` left them in its dist folder, under `/{name}/`. Its
 * screens are routes of the page, so any other path under the prefix answers index.html.
 */
export function pageApp(name: string, dist: string): FastifyPluginAsync {
  const prefix = `/${name}/`
  return async (app) => {
    if (!existsSync(dist)) {
      app.log.warn({ dir: dist }, `${name} not built (npm run build); ${prefix} is not served`)
      return
    }
    await app.register(fastifyStatic, { root: dist, prefix, wildcard: false })
    app.get(`/${name}`, (_request, reply) => reply.redirect(prefix))
    app.get(`${prefix}*`, (_request, reply) => reply.type('text/html').sendFile('index.html', dist))
  }
}
