import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { serviceChecks } from '../ops/readiness.ts'

/** The services' checks of this hub (also shown on the console's health page). */
export const checksOf = (app: FastifyInstance) =>
  serviceChecks({
    pool: app.services.database.pool,
    redis: app.services.redis,
    mqttConnected: () => app.mqtt.connected,
    queues: app.ops.queues,
  })

/**
 * `/health`: the process answers (liveness). `/ready`: MySQL, Redis, the MQTT broker and the
 * BullMQ queues (reachable, none paused) all answer too; 503 with Retry-After when one does not,
 * so a load balancer sends the ordering site elsewhere meanwhile.
 */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }))

  app.get('/ready', { logLevel: 'warn' }, async (_request, reply) => {
    const checks = await checksOf(app)
    const ready = Object.values(checks).every((c) => c === 'up')
    if (!ready) reply.code(503).header('Retry-After', '5')
    return { status: ready ? 'ready' : 'not ready', checks }
  })
}

export default health
