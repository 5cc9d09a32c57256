import fp from 'fastify-plugin'
import { createAckPublisher, type AckPublisher } from './ack-publisher.ts'
import { createOutcomeStore, type OutcomeStore } from './outcome-store.ts'

declare module 'fastify' {
  interface FastifyInstance {
    outcomes: OutcomeStore
    acks: AckPublisher
  }
}

export default fp(
  async function acks(app) {
    const { REDIS_PREFIX, DEDUPE_TTL_SECONDS } = app.config
    app.decorate('outcomes', createOutcomeStore(app.services.redis, REDIS_PREFIX, DEDUPE_TTL_SECONDS))
    app.decorate(
      'acks',
      createAckPublisher(
        app.mqtt,
        app.topics,
        (err) => app.log.warn({ err: err.message }, 'ack not delivered; the device will resend'),
        app.metrics.countAck,
      ),
    )
  },
  { name: 'acks', dependencies: ['services', 'mqtt', 'metrics'] },
)
