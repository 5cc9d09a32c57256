import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

/**
 * Security headers on every answer (helmet), with one Content-Security-Policy that fits the
 * three pages the hub serves — the floor screen, /docs (swagger-ui) and /admin/queues
 * (bull-board) — none of which runs an inline script: scripts only from the hub itself, inline
 * styles allowed (the charts and both admin pages set them), sockets and fetches to the hub only.
 * No upgrade-insecure-requests and no HSTS: a hub on the warehouse LAN is often plain HTTP, and
 * where TLS is terminated in front of it, that proxy sets HSTS for its own name.
 */
/**
 * Where pages may open connections: the hub, and the broker's own WebSocket listener when the
 * provisioning code sends handhelds there (PUBLIC_MQTT_URL as ws:// or wss://) instead of /mqtt.
 */
function connectSources(publicMqttUrl: string | undefined): string[] {
  const broker = publicMqttUrl && /^wss?:/.test(publicMqttUrl) ? [new URL(publicMqttUrl).origin] : []
  return ["'self'", ...broker]
}

export default fp(
  async function securityHeaders(app) {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'self'"],
          // 'wasm-unsafe-eval' lets a page compile WebAssembly (the handheld's barcode decoder, our
          // own file), and nothing else: no eval of script text.
          scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: connectSources(app.config.PUBLIC_MQTT_URL),
          // mqtt.js keeps its keep-alive timer in a blob worker, so a handheld's page in the
          // background (throttled timers) does not drop its broker connection.
          workerSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: false,
    })
  },
  { name: 'security-headers', dependencies: ['config'] },
)
