import type { FastifyPluginAsync } from 'fastify'
import { Gauge } from 'prom-client'
import type { WebSocket } from 'ws'
import { bridgeTarget } from './bridge-target.ts'
import { BridgeCloseCodes, pipeToBroker } from './broker-pipe.ts'

/** Where browsers open the bridge, and the subprotocol mqtt.js asks for there. */
export const MQTT_BRIDGE_PATH = '/mqtt'
export const MQTT_SUBPROTOCOL = 'mqtt'

/**
 * The same-origin MQTT-over-WebSocket bridge (MQTT_WS_BRIDGE) for the browser handheld, where the
 * broker has no WebSocket listener of its own (Debian 12's Mosquitto). Open without an API key:
 * the broker logs each device in and applies its ACL to every byte that passes, and the hub still
 * verifies every event's signature.
 */
const mqttBridge: FastifyPluginAsync = async (app) => {
  const { config } = app
  if (!config.MQTT_WS_BRIDGE) return
  const target = bridgeTarget(config)
  if ('off' in target) {
    app.log.warn({ reason: target.off }, `MQTT WebSocket bridge off; ${MQTT_BRIDGE_PATH} is not served`)
    return
  }
  const open = new Set<WebSocket>()
  new Gauge({
    name: 'wh_mqtt_bridge_connections',
    help: 'Open MQTT-over-WebSocket bridge connections (devices piped to the broker) on this instance',
    registers: [app.metrics.registry],
    collect() {
      this.set(open.size)
    },
  })
  app.addHook('preClose', async () => {
    for (const socket of open) socket.close(BridgeCloseCodes.goingAway, 'hub shutting down')
  })
  app.get(MQTT_BRIDGE_PATH, { websocket: true }, (socket, request) => {
    if (open.size >= config.MQTT_BRIDGE_MAX_CONNECTIONS) {
      request.log.warn({ limit: config.MQTT_BRIDGE_MAX_CONNECTIONS }, 'MQTT bridge full (MQTT_BRIDGE_MAX_CONNECTIONS); WebSocket closed')
      return socket.close(BridgeCloseCodes.tryAgainLater, 'bridge full, try again later')
    }
    open.add(socket)
    socket.once('close', () => open.delete(socket))
    pipeToBroker(socket, target, request.log)
  })
}

export default mqttBridge
