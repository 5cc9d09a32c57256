import fp from 'fastify-plugin'
import { Registry, collectDefaultMetrics, register as processRegistry } from 'prom-client'
import { createHubMetrics, type HubMetrics } from '../../metrics/hub-metrics.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * This app's metrics. A domain plugin adds its own to `metrics.registry` (a gauge with a
     * `collect` is read at scrape time); module-level counters may use prom-client's default
     * registry, which is served beside it.
     */
    metrics: HubMetrics & { render: () => Promise<string>; contentType: string }
  }
}

/** Node's process metrics (CPU, memory, event-loop lag, GC), once per process in the default registry. */
function ensureProcessMetrics() {
  if (!processRegistry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: processRegistry })
}

/**
 * The metrics registry. One per app, so tests that run several hubs in one process read each
 * hub's own counts; the default registry holds what is per process.
 */
export default fp(
  async function metrics(app) {
    const registry = new Registry()
    ensureProcessMetrics()
    app.decorate('metrics', {
      ...createHubMetrics(registry),
      contentType: registry.contentType,
      // Two registries, one exposition: their metric names never overlap.
      render: async () => (await registry.metrics()) + (await processRegistry.metrics()),
    })
  },
  { name: 'metrics', dependencies: ['config'] },
)
