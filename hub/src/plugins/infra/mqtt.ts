import fp from 'fastify-plugin'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { createTopics, type Topics } from '@wh/shared'

/** How long closing waits for the broker to ack what this process published. */
const END_GRACE_MS = 3000

declare module 'fastify' {
  interface FastifyInstance {
    mqtt: MqttClient
    topics: Topics
  }
}

export default fp(
  async function mqttClient(app) {
    const { MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD, MQTT_TOPIC_ROOT, HUB_INSTANCE_ID } = app.config
    const options: IClientOptions = {
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
    }
    // Only ingest waits for the broker at start, as it cannot work without it. The API and
    // workers start without it (their acks wait in the client until it connects), so a restart
    // while the broker is down does not keep them from serving orders or applying events.
    const client = app.config.roles.has('ingest') ? await mqtt.connectAsync(MQTT_URL, options) : mqtt.connect(MQTT_URL, options)
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
      // A graceful end waits for every QoS 1 publish in flight to be acked, and after a heavy run
      // it was seen waiting forever (an entry of mqtt.js's outgoing map that no PUBACK matched).
      // Past the grace the socket is dropped: an ack lost with it costs its device one resend.
      let grace: NodeJS.Timeout | undefined
      const ended = await Promise.race([
        client.endAsync().then(() => true),
        new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), END_GRACE_MS))),
      ])
      clearTimeout(grace)
      if (!ended) {
        app.log.warn({ unacked: Object.keys(client.outgoing).length }, 'mqtt did not end gracefully; connection dropped')
        client.stream?.destroy()
      }
    })
  },
  { name: 'mqtt', dependencies: ['config'] },
)
