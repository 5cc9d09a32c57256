import fp from 'fastify-plugin'
import websocket from '@fastify/websocket'

/** Largest message a client may send: a floor screen's subscribe naming a few thousand products. */
const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024

export interface WebSocketOptions {
  /** The subprotocol each WebSocket path speaks: a client must offer it, and is answered with it alone. */
  protocols: Readonly<Record<string, string>>
}

/**
 * The app's one WebSocket server, for every socket route. Registered once, at the root:
 * @fastify/websocket listens to the HTTP server's upgrades, so a second registration (one per
 * route group) would route each upgrade twice.
 */
export default fp<WebSocketOptions>(
  async function webSockets(app, { protocols }) {
    await app.register(websocket, {
      options: {
        maxPayload: MAX_CLIENT_MESSAGE_BYTES,
        // Only the path's own protocol: a screen's `bearer.<key>` is never echoed back.
        handleProtocols: (offered, request) => {
          const wanted = protocols[new URL(request.url ?? '/', 'http://hub').pathname]
          return wanted !== undefined && offered.has(wanted) ? wanted : false
        },
      },
    })
  },
  { name: 'websocket' },
)
