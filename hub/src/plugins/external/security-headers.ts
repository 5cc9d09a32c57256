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
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: false,
    })
  },
  { name: 'security-headers' },
)
