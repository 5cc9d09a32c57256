import type { FastifyPluginAsync } from 'fastify'

/**
 * `/metrics` in the Prometheus text format: this process's counters and histograms, the
 * installation's queue depths and held events, and Node's process metrics. Every process serves
 * its own (a worker-only process on METRICS_PORT); sum counters across instances.
 */
const metricsRoute: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    const body = await app.metrics.render()
    return reply.type(app.metrics.contentType).send(body)
  })
}

export default metricsRoute
