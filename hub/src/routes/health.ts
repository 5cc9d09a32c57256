import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ReadinessSchema } from '@wh/shared'
import { readiness } from '../ops/readiness.ts'

/**
 * This process's readiness (also shown on the console's health page). `pipeline`: name the
 * stalled partitions, which /ready does only where this process runs the workers that drain them.
 */
export const readinessOf = (app: FastifyInstance, pipeline = app.config.roles.has('worker')) =>
  readiness({
    roles: app.config.roles,
    pool: app.services.database.pool,
    redis: app.services.redis,
    mqttConnected: () => app.mqtt.connected,
    queues: app.ops.queues,
    pipeline: pipeline ? app.ops.stall : undefined,
  })

/**
 * `/health`: the process answers (liveness). `/ready`: the services this process's roles need
 * answer; 503 with Retry-After when one does not, so a load balancer sends the ordering site
 * elsewhere meanwhile. A service only other roles need, a paused queue or a stalled partition is
 * a warning in the body, never a 503: an API process keeps taking orders while the broker is down.
 */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }))

  app.get(
    '/ready',
    {
      logLevel: 'warn',
      schema: {
        summary: "Whether this process can do its roles' work, with what an operator should look at",
        tags: ['health'],
        security: [],
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_request, reply) => {
      const body = await readinessOf(app)
      if (body.status !== 'ready') reply.code(503).header('Retry-After', '5')
      return body
    },
  )
}

export default health
