import fp from 'fastify-plugin'
import mqtt, { type MqttClient } from 'mqtt'
import { createTopics, type Topics } from '@wh/shared'

declare module 'fastify' {
  interface FastifyInstance {
    mqtt: MqttClient
    topics: Topics
  }
}

export default fp(
  async function mqttClient(app) {
    const { MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD, MQTT_TOPIC_ROOT, HUB_INSTANCE_ID } = app.config
    const client = await mqtt.connectAsync(MQTT_URL, {
      protocolVersion: 5,
      clientId: `hub-${HUB_INSTANCE_ID}-${app.config.HUB_ROLES.replaceAll(',', '')}`,
      username: MQTT_USERNAME,
      password: MQTT_PASSWORD,
      // Unacked events are resent by their devices, so the hub needs no broker-side session.
      clean: true,
      reconnectPeriod: 1000,
      // Lets the broker send this many unacked events at once instead of queueing them for us:
      // Mosquitto drops QoS 1 messages past its per-client queue (max_queued_messages, 1000).
      properties: { receiveMaximum: 65535 },
      connectTimeout: 5000,
    })
    // Acks are tiny and follow a PUBACK on the same socket: with Nagle on, each waits for the
    // broker's delayed TCP ACK (~40 ms). The broker needs `set_tcp_nodelay true` for its side.
    const noDelay = () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
    noDelay()
    client.on('connect', noDelay)
    client.on('error', (err) => app.log.warn({ err: err.message }, 'mqtt error'))
    client.on('offline', () => app.log.warn('mqtt offline'))
    client.on('reconnect', () => app.log.info('mqtt reconnecting'))
    app.decorate('mqtt', client)
    app.decorate('topics', createTopics(MQTT_TOPIC_ROOT))
    app.addHook('onClose', async () => {
      await client.endAsync()
    })
  },
  { name: 'mqtt', dependencies: ['config'] },
)
