import WebSocket from 'ws'
import type { HubApp } from '../../hub/src/app.ts'

/** The hub's MQTT bridge address (`ws://` or, for a hub serving HTTPS, `wss://`), listening first if it is not. */
export async function bridgeUrl(hub: HubApp, scheme: 'ws' | 'wss' = 'ws', host = '127.0.0.1'): Promise<string> {
  if (!hub.server.listening) await hub.listen({ host: '127.0.0.1', port: 0 })
  const { port } = hub.server.address() as { port: number }
  return `${scheme}://${host}:${port}/mqtt`
}

/** Opens a bare WebSocket to the bridge, as mqtt.js would (subprotocol `mqtt`), and answers how the hub closed it. */
export function bridgeClosing(url: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, ['mqtt'], options)
  const closed = new Promise<{ code: number; reason: string }>((resolve, reject) => {
    socket.once('error', reject)
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  return { socket, closed }
}
