import type { FastifyPluginAsync } from 'fastify'
import type { ServerResponse } from 'node:http'

const KEEP_ALIVE_MS = 25_000

/**
 * `GET /api/changes`: a server-sent event stream of what changed (`{"topic","site"}`), for the
 * console's pages to reload what they show. SSE rather than a socket: one-way, the browser's
 * EventSource reconnects by itself and stops on a 401, and the framing is two lines, so no
 * plugin is needed. A caller limited to sites hears only theirs; a person's stream ends when
 * their sessions do.
 */
const changes: FastifyPluginAsync = async (app) => {
  const open = new Set<ServerResponse>()
  app.addHook('preClose', async () => open.forEach((response) => response.end()))

  app.get(
    '/api/changes',
    { config: { rateLimit: false }, schema: { summary: 'What changed, as server-sent events', tags: ['console'] } },
    (request, reply) => {
      const caller = request.caller!
      reply.hijack()
      const response = reply.raw
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' })
      response.write(': listening\n\n')
      open.add(response)
      const stop = app.consoleChanges.listen(
        (change) => {
          if (caller.sites && change.site && !caller.sites.includes(change.site)) return
          response.write(`data: ${JSON.stringify(change)}\n\n`)
        },
        (userId) => caller.kind === 'person' && userId === caller.id && response.end(),
      )
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS)
      response.on('close', () => {
        stop()
        clearInterval(keepAlive)
        open.delete(response)
      })
    },
  )
}

export default changes
