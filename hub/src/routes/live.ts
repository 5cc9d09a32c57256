import type { FastifyPluginAsync } from 'fastify'
import websocket from '@fastify/websocket'
import { LIVE_PROTOCOL, LiveCloseCodes } from '@wh/shared/live'
import { presentedKey } from './api-guard.ts'

/** Largest message a screen may send: a subscribe naming a few thousand products. */
const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024

/**
 * The floor screens' WebSocket: `subscribe`, then a snapshot or the missed deltas, then live.
 * The API guard checks the key during the upgrade (a refused one gets a plain 401, no socket); a
 * browser sends it as a `bearer.<key>` subprotocol beside `wh.live`, and the hub answers with
 * `wh.live` only, so the key is never echoed. An open socket's key is checked again as often as
 * keys are re-read, and a revoked one closes it (4401). Upgrades are not rate-limited: a floor's
 * screens share a key and all reconnect at once after a restart.
 */
const live: FastifyPluginAsync = async (app) => {
  await app.register(websocket, {
    options: {
      maxPayload: MAX_CLIENT_MESSAGE_BYTES,
      handleProtocols: (protocols: Set<string>) => (protocols.has(LIVE_PROTOCOL) ? LIVE_PROTOCOL : false),
    },
  })
  const recheckMs = Math.max(app.config.API_KEY_CACHE_MS, 1000)
  app.get('/live', { websocket: true, config: { rateLimit: false } }, (socket, request) => {
    app.screens.hub.attach(socket)
    const key = presentedKey(request)!
    const recheck = setInterval(() => {
      app.apiKeys.verifier.verify(key).then(
        (verdict) => !verdict.ok && socket.close(LiveCloseCodes.unauthorized, 'API key no longer valid'),
        () => undefined, // the database is away: keep the screen, check again next time
      )
    }, recheckMs)
    socket.on('close', () => clearInterval(recheck))
  })
}

export default live
