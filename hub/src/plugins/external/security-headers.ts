import fp from 'fastify-plugin'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'

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

/** helmet's options: the policy described above. */
const helmetOptions = (publicMqttUrl: string | undefined): HelmetOptions => ({
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
      connectSrc: connectSources(publicMqttUrl),
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

/**
 * The headers helmet sets, computed once: they depend on the configuration only (no per-request
 * nonces), while @fastify/helmet built helmet's middleware, and parsed the policy, anew for every
 * request (about 6% of a stock check's CPU in a profile of its loop). Recorded from helmet itself,
 * so what the headers say stays helmet's.
 */
export function securityHeaderSet(publicMqttUrl: string | undefined): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  }
  helmet(helmetOptions(publicMqttUrl))({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err
  })
  return Object.freeze(headers)
}

export default fp(
  async function securityHeaders(app) {
    const headers = Object.entries(securityHeaderSet(app.config.PUBLIC_MQTT_URL))
    // On the raw response, as helmet does: a hijacked reply (the changes stream) gets them too.
    app.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of headers) reply.raw.setHeader(name, value)
      done()
    })
  },
  { name: 'security-headers', dependencies: ['config'] },
)
