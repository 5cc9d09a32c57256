import fp from 'fastify-plugin'
import { createPartitionInbox, type PartitionInbox } from './partition-inbox.ts'
import { openPartitionQueues, type PartitionQueues } from './partition-queues.ts'

declare module 'fastify' {
  interface FastifyInstance {
    partitionQueues: PartitionQueues
    inbox: PartitionInbox
  }
}

export default fp(
  async function partition(app) {
    const { REDIS_PREFIX, PARTITIONS } = app.config
    const queues = await openPartitionQueues(app.services.redis, REDIS_PREFIX, PARTITIONS)
    app.decorate('partitionQueues', queues)
    app.decorate('inbox', createPartitionInbox(app.services.redis, REDIS_PREFIX))
    app.addHook('onClose', async () => {
      await queues.close()
    })
  },
  { name: 'partition', dependencies: ['services'] },
)
