import type { FastifyPluginAsync } from 'fastify'
import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { FastifyAdapter } from '@bull-board/fastify'

export const QUEUE_VIEW_PATH = '/admin/queues'

/**
 * The queue view (bull-board) over every queue of the installation: jobs by state, failed jobs
 * with their errors, retry and clean. Encapsulated (no fastify-plugin), so a guard added here
 * covers the view and its API and nothing else.
 */
const queueView: FastifyPluginAsync = async (app) => {
  // Admin only: app.ts registers this among the authenticated routes with the admin role. A
  // signed-in admin's session cookie opens it; any other browser is asked for a key by its own
  // login prompt (Basic, key as password).
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, basicChallenge: true }
  })
  // A signed-in admin's changes here (retry, clean, pause) must carry the session's CSRF token,
  // which bull-board's page cannot be told to send; its HTTP client (axios) sends the XSRF-TOKEN
  // cookie back as x-xsrf-token on its own requests, so the view's pages set that cookie.
  app.addHook('preHandler', async (request, reply) => {
    if (request.caller?.kind !== 'person' || request.method !== 'GET') return
    reply.setCookie('XSRF-TOKEN', reply.generateCsrf(), {
      path: QUEUE_VIEW_PATH,
      sameSite: 'strict',
      secure: app.config.COOKIE_SECURE,
      httpOnly: false,
    })
  })
  const serverAdapter = new FastifyAdapter().setBasePath(QUEUE_VIEW_PATH)
  createBullBoard({
    queues: app.ops.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Warehouse hub queues' } },
  })
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_VIEW_PATH })
}

export default queueView
