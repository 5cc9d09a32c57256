import Fastify, { type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.ts'
import type { Services } from './services.ts'
import { problemHandlers, problemServerOptions } from './http/problem-details.ts'
import { closeUndeclaredInput, strictValidatorCompiler } from './http/strict-validation.ts'
import configPlugin from './plugins/infra/config.ts'
import lifecycle from './plugins/infra/lifecycle.ts'
import requestId, { requestIdOptions } from './plugins/infra/request-id.ts'
import { requestLogOptions } from './plugins/infra/request-log.ts'
import metrics from './plugins/infra/metrics.ts'
import httpMetrics from './plugins/external/http-metrics.ts'
import services from './plugins/infra/services.ts'
import mqtt from './plugins/infra/mqtt.ts'
import apiKeys from './auth/plugin.ts'
import people from './people/plugin.ts'
import { sessionRoutes, signIn } from './routes/api/session.ts'
import peopleRoutes from './routes/api/people.ts'
import securityHeaders from './plugins/external/security-headers.ts'
import { authenticated, type RouteGroup } from './routes/authenticated.ts'
import keyRoutes from './routes/api/keys.ts'
import catalog from './catalog/plugin.ts'
import acks from './acks/plugin.ts'
import partition from './partition/plugin.ts'
import sequence from './sequence/plugin.ts'
import live from './live/plugin.ts'
import ingest from './ingest/plugin.ts'
import devicePresence from './devices/plugin.ts'
import apply from './apply/plugin.ts'
import ops from './ops/plugin.ts'
import health from './routes/health.ts'
import metricsRoute from './routes/metrics.ts'
import queueView from './routes/admin/queues.ts'
import inventoryRoutes from './routes/api/inventory.ts'
import catalogRoutes from './routes/api/catalog.ts'
import deviceRoutes from './routes/api/devices.ts'
import siteRoutes from './routes/api/sites.ts'
import productRoutes from './routes/api/products.ts'
import syncStatusRoutes from './routes/api/sync-status.ts'
import orderRoutes from './routes/api/orders.ts'
import stockCheckRoutes from './routes/api/stock-check.ts'
import stockChangesRoutes from './routes/api/stock-changes.ts'
import orders from './orders/plugin.ts'
import webhooks from './webhooks/plugin.ts'
import webhookRoutes from './routes/api/webhooks.ts'
import held from './held/plugin.ts'
import heldEventRoutes from './routes/api/held-events.ts'
import reconciliation from './reconcile/plugin.ts'
import webhookSync from './webhooks/full-sync-plugin.ts'
import webhookSyncRoutes from './routes/api/webhook-sync.ts'
import reconciliationRoutes from './routes/api/reconciliation.ts'
import auditRoutes from './routes/api/audit.ts'
import healthDetailsRoutes from './routes/api/health-details.ts'
import ledger from './ledger/plugin.ts'
import movementRoutes from './routes/api/movements.ts'
import adjustmentRoutes from './routes/api/adjustments.ts'
import inventoryHistoryRoutes from './routes/api/inventory-history.ts'
import purchasing from './purchasing/plugin.ts'
import purchaseOrderRoutes from './routes/api/purchase-orders.ts'
import imports from './import/plugin.ts'
import importRoutes from './routes/api/imports.ts'
import exportRoutes from './routes/api/exports.ts'
import openapi from './plugins/external/openapi.ts'
import screens from './live/screens-plugin.ts'
import liveRoutes from './routes/live.ts'
import dashboard from './routes/dashboard.ts'
import consoleChanges from './live/console-plugin.ts'
import changeRoutes from './routes/api/changes.ts'
import consolePage from './routes/console.ts'
import handheldPage from './routes/handheld.ts'
import handheldRoutes from './routes/api/handheld.ts'
import pairings from './screens/plugin.ts'
import screenPairing from './routes/screen-pairing.ts'
import screenRoutes from './routes/api/screens.ts'
import webSockets from './plugins/external/websocket.ts'
import mqttBridge, { MQTT_BRIDGE_PATH, MQTT_SUBPROTOCOL } from './bridge/plugin.ts'
import { httpsOptions } from './http/https-options.ts'
import { LIVE_PROTOCOL } from '@wh/shared/live'

/**
 * The HTTP layer on the services (services.ts), which it opens from `config` unless given them.
 * Load order is the architecture: infrastructure, then the domain, then the parts this process
 * runs (ingest, workers, HTTP routes) as its roles say.
 */
export async function buildApp(config: Config, options: FastifyServerOptions = {}, given?: Services) {
  const app = Fastify({
    // HTTPS (and WSS) when given a certificate: the handheld's service worker and camera need it.
    ...(await httpsOptions(config)),
    logger: { level: config.LOG_LEVEL },
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    ...requestIdOptions,
    ...requestLogOptions(config),
    ...problemServerOptions,
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Set before any route is added: a route keeps the handlers and the compiler in force when it was registered.
  app.setValidatorCompiler(strictValidatorCompiler)
  app.addHook('onRoute', closeUndeclaredInput)
  problemHandlers(app)

  await app.register(configPlugin, { config })
  // First of the infrastructure: every plugin below finds the database and Redis through it, and
  // its close hook, registered first, runs last.
  await app.register(services, { services: given })
  // Each layer in order; a plugin only depends on the ones above it.
  // lifecycle first: its close hook (stop taking work) must run before every other.
  const infrastructure = [lifecycle, requestId, securityHeaders, metrics, httpMetrics, mqtt, apiKeys, people]
  const domain = [
    catalog,
    acks,
    partition,
    sequence,
    live,
    devicePresence,
    consoleChanges,
    // Before the domains that owe webhook messages (orders, stock fan-out): they nudge it.
    webhooks,
    orders,
    held,
    purchasing,
    ledger,
    reconciliation,
    imports,
    pairings,
    webhookSync,
  ]
  // Open to all: the API's description, the pages' files (which ask for a key or a sign-in), signing
  // in, and a floor screen asking to be paired.
  // The MQTT bridge too: the broker logs each device in.
  const publicApi = [openapi, screens, dashboard, consolePage, handheldPage, signIn, screenPairing, mqttBridge]
  // Each group with the role its routes need, unless a route says (`config: { role }`): a viewer
  // reads and watches, orders also checks and reserves, a supervisor also works exceptions, admin
  // does everything.
  const guardedApi: RouteGroup[] = [
    [liveRoutes, 'viewer'],
    [inventoryRoutes, 'viewer'],
    [stockChangesRoutes, 'viewer'],
    [inventoryHistoryRoutes, 'viewer'],
    [catalogRoutes, 'viewer'],
    [syncStatusRoutes, 'viewer'],
    [stockCheckRoutes, 'orders'],
    [orderRoutes, 'orders'],
    [movementRoutes, 'supervisor'],
    [adjustmentRoutes, 'supervisor'],
    [deviceRoutes, 'admin'],
    // Their reads say `role: 'viewer'` themselves.
    [siteRoutes, 'admin'],
    [productRoutes, 'admin'],
    [reconciliationRoutes, 'supervisor'],
    [auditRoutes, 'supervisor'],
    [healthDetailsRoutes, 'viewer'],
    [heldEventRoutes, 'supervisor'],
    [purchaseOrderRoutes, 'supervisor'],
    [importRoutes, 'admin'],
    [exportRoutes, 'viewer'],
    [keyRoutes, 'admin'],
    [webhookRoutes, 'admin'],
    [screenRoutes, 'admin'],
    [sessionRoutes, 'viewer'],
    [changeRoutes, 'viewer'],
    // The only routes a handheld signing its requests may call (`config: { devices: true }`).
    [handheldRoutes, 'viewer'],
    [peopleRoutes, 'admin'],
    [queueView, 'admin'],
    [webhookSyncRoutes, 'admin'],
  ]
  for (const plugin of [...infrastructure, ...domain, ops]) await app.register(plugin)
  if (config.roles.has('worker')) await app.register(apply)
  if (config.roles.has('ingest')) await app.register(ingest)
  // /metrics takes a `metrics` (or admin) key, like the API.
  const guarded: RouteGroup[] = [[metricsRoute, 'metrics']]
  if (config.roles.has('api')) {
    await app.register(webSockets, { protocols: { '/live': LIVE_PROTOCOL, [MQTT_BRIDGE_PATH]: MQTT_SUBPROTOCOL } })
    for (const plugin of publicApi) await app.register(plugin)
    guarded.push(...guardedApi)
  }
  // /health and /ready answer without a key: orchestrators and load balancers probe them, and
  // they tell no data, only readiness. After the API's OpenAPI plugin, which describes only the
  // routes added after it.
  await app.register(health)
  await app.register(authenticated(guarded))

  await app.ready()
  return app
}

export type HubApp = Awaited<ReturnType<typeof buildApp>>
