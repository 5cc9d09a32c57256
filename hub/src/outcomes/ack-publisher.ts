import type { MqttClient } from 'mqtt'
import type { Ack, Topics } from '@wh/shared'

export interface AckTarget {
  site: string
  deviceId: string
}

/**
 * Publishes acks (QoS 1) without waiting for the broker: a lost ack costs only a resend, which
 * is answered `duplicate`, so a broker outage must not stall the worker that applied the event.
 */
export function createAckPublisher(mqtt: MqttClient, topics: Topics, onError: (err: Error) => void) {
  return {
    publish(target: AckTarget, ack: Ack): void {
      mqtt.publish(topics.acks(target.site, target.deviceId), JSON.stringify(ack), { qos: 1 }, (err) => {
        if (err) onError(err)
      })
    },
  }
}

export type AckPublisher = ReturnType<typeof createAckPublisher>
