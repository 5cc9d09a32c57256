import { createRequire } from 'node:module'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { IMetricsPluginOptions } from 'fastify-metrics/dist/types.js'
import promClient from 'prom-client'

/**
 * Loaded without its main type file: that file declares `FastifyInstance.metrics` as the plugin's
 * own, which clashes with the hub's `metrics` decorator, and whichever declaration TypeScript
 * reads first wins. Its options' types come from the file that declares only them.
 */
const fastifyMetrics = createRequire(import.meta.url)('fastify-metrics') as {
  default: FastifyPluginAsync<Partial<IMetricsPluginOptions>>
}

/**
 * Not timed: the probes and the scrape (polled every few seconds, they would drown the API's
 * figures), and the streams (a floor screen's socket, the MQTT bridge, the changes feed), whose
 * "duration" is how long a client stayed connected.
 */
const UNTIMED = ['/health', '/ready', '/metrics', '/live', '/mqtt', '/api/changes']

/** From a stock check (a few ms) to a slow export; prom-client's default starts at 5 ms. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * HTTP request metrics (fastify-metrics): `http_request_duration_seconds{method,route,status_code}`
 * in the app's own registry, served by the hub's /metrics (the plugin adds no endpoint).
 * - `route` is the route's pattern (`/api/inventory/:sku`), never the URL, and only registered
 *   routes are counted, so a scan of made-up paths adds no series.
 * - `status_code` is kept exact: the hub answers a small fixed set, and 409 (short), 429 (rate
 *   limit) and 503 (shutting down) call for different things.
 * - The histogram alone: the plugin's summary would compute quantiles on every request, and
 *   quantiles cannot be summed across instances anyway.
 * Node's process metrics are the metrics plugin's, not this one's.
 *
 * fastify-metrics 13 rather than 14: 14 moved to @prometheus-io/client, while the hub's registry
 * and every other metric are prom-client 15; both move together or not at all.
 */
export default fp(
  async function httpMetrics(app) {
    await app.register(fastifyMetrics.default, {
      // `metrics` is the hub's own decorator (plugins/infra/metrics.ts).
      name: 'httpMetrics',
      endpoint: null,
      promClient,
      defaultMetrics: { enabled: false },
      routeMetrics: {
        enabled: { histogram: true, summary: false },
        routeBlacklist: UNTIMED,
        overrides: {
          histogram: { buckets: BUCKETS, registers: [app.metrics.registry] },
          // The plugin makes its summary even when disabled; in no registry it costs nothing and
          // cannot collide with another app's in the same process.
          summary: { registers: [] },
        },
      },
    })
  },
  { name: 'http-metrics', dependencies: ['metrics'] },
)
