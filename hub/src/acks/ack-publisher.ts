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
export function createAckPublisher(
  mqtt: MqttClient,
  topics: Topics,
  onError: (err: Error) => void,
  /** Every answer goes through here, so this is where they are counted. */
  onAck: (ack: Ack, eventType: unknown) => void = () => undefined,
) {
  return {
    /** `eventType`: the event's type, for the count by type (omitted when the event had none). */
    publish(target: AckTarget, ack: Ack, eventType?: unknown): void {
      onAck(ack, eventType)
      mqtt.publish(topics.acks(target.site, target.deviceId), JSON.stringify(ack), { qos: 1 }, (err) => {
        if (err) onError(err)
      })
    },
  }
}

export type AckPublisher = ReturnType<typeof createAckPublisher>
