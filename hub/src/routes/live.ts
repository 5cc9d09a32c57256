import type { FastifyPluginAsync } from 'fastify'
import websocket from '@fastify/websocket'

/** Largest message a screen may send: a subscribe naming a few thousand products. */
const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024

/** The floor screens' WebSocket: `subscribe`, then a snapshot or the missed deltas, then live. */
const live: FastifyPluginAsync = async (app) => {
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES } })
  app.get('/live', { websocket: true }, (socket) => app.screens.hub.attach(socket))
}

export default live
