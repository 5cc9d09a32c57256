import fp from 'fastify-plugin'
import { createDeviceSequencer, type DeviceSequencer } from './device-sequencer.ts'
import { createPartitionInbox, type PartitionInbox } from './partition-inbox.ts'
import { openPartitionQueues, type PartitionQueues } from './partition-queues.ts'

declare module 'fastify' {
  interface FastifyInstance {
    partitionQueues: PartitionQueues
    inbox: PartitionInbox
    sequencer: DeviceSequencer
  }
}

export default fp(
  async function partitions(app) {
    const { REDIS_PREFIX, PARTITIONS } = app.config
    const queues = await openPartitionQueues(app.redis, REDIS_PREFIX, PARTITIONS)
    app.decorate('partitionQueues', queues)
    app.decorate('inbox', createPartitionInbox(app.redis, REDIS_PREFIX))
    app.decorate('sequencer', createDeviceSequencer(app.redis, REDIS_PREFIX, app.catalog.deviceLastSeq))
    app.addHook('onClose', async () => {
      await queues.close()
    })
  },
  { name: 'partitions', dependencies: ['redis', 'catalog'] },
)
