import net from 'node:net'
import tls from 'node:tls'
import type { FastifyBaseLogger } from 'fastify'
import { createWebSocketStream, type WebSocket } from 'ws'
import type { BrokerTarget } from './bridge-target.ts'

/** How the bridge closes a device's WebSocket when the broker side cannot carry it. */
export const BridgeCloseCodes = {
  /** The hub is shutting down: reconnect (to another instance, or this one when it is back). */
  goingAway: 1001,
  /** The broker's connection failed while open: reconnect. */
  brokerLost: 1011,
  /** The broker cannot be reached, or this hub holds as many bridge connections as it may: try again later. */
  tryAgainLater: 1013,
} as const

/**
 * Joins a device's WebSocket to a connection of its own to the broker, bytes both ways, so the
 * broker sees the device's own login and applies its ACL. Hand-written because no maintained
 * package bridges a Fastify WebSocket to a TCP broker (websockify and the like are servers of their
 * own); ws's stream does the framing, and `pipe` the flow control both ways.
 */
export function pipeToBroker(socket: WebSocket, target: BrokerTarget, log: FastifyBaseLogger): void {
  const device = createWebSocketStream(socket)
  const broker = target.tls
    ? tls.connect({ host: target.host, port: target.port, servername: net.isIP(target.host) ? undefined : target.host })
    : net.connect({ host: target.host, port: target.port })
  let connected = false
  broker.once(target.tls ? 'secureConnect' : 'connect', () => {
    connected = true
    // MQTT packets are small and answer each other: no Nagle delay (as the hub's own client).
    broker.setNoDelay(true)
  })
  // Bytes written before the connection is up wait in the socket; either side ending ends the other.
  device.pipe(broker)
  broker.pipe(device)

  broker.on('error', (err: NodeJS.ErrnoException) => {
    if (socket.readyState !== socket.OPEN) return
    log.warn({ err: err.message, code: err.code, broker: target.url, connected }, 'MQTT bridge: broker connection failed; WebSocket closed')
    socket.close(
      connected ? BridgeCloseCodes.brokerLost : BridgeCloseCodes.tryAgainLater,
      connected ? 'broker connection lost' : 'broker unavailable',
    )
  })
  // Once the device is gone and what it sent is flushed, nobody reads the broker's answers.
  broker.once('finish', () => broker.destroy())
  socket.once('close', () => broker.connecting && broker.destroy())
  // The WebSocket reports its own errors (and closes); the broker's connection goes with it.
  device.on('error', () => broker.destroy())
}
