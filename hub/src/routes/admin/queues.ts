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
  // browser opening the view is asked for the key by its own login prompt (Basic, key as password).
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, basicChallenge: true }
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
