import type { Log } from '../log.ts'
import type { DeviceTopic, Topics, TopicKind } from '@wh/shared'

/** `retained`: the message is a retained one, read at start (ingest/retained-status.ts), not a live one. */
export type TopicHandler = (topic: DeviceTopic, payload: Buffer, retained: boolean) => Promise<void>

/**
 * Routes each MQTT message to the handler of its topic kind. A handler that throws (the database
 * or Redis is away) leaves the event unanswered; its device resends it after the ack timeout.
 */
export function createTopicRouter(topics: Topics, handlers: Partial<Record<TopicKind, TopicHandler>>, log: Log) {
  return async function route(topicName: string, payload: Buffer, retained = false): Promise<void> {
    const topic = topics.parse(topicName)
    const handler = topic && handlers[topic.kind]
    if (!topic || !handler) {
      log.debug({ topic: topicName }, 'no handler for topic')
      return
    }
    try {
      await handler(topic, payload, retained)
    } catch (err) {
      log.error({ err, topic: topicName }, 'message not handled; the device will resend')
    }
  }
}
