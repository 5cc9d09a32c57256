import fp from 'fastify-plugin'
import { createDeviceSequencer, type DeviceSequencer } from './device-sequencer.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sequencer: DeviceSequencer
  }
}

const GAP_SWEEP_MS = 250

/**
 * The sequence stage: each device's events in deviceSeq order, and (where this process ingests)
 * the sweep that releases events whose missing predecessor never came.
 */
export default fp(
  async function sequence(app) {
    const { config } = app
    const sequencer = createDeviceSequencer(app.services.redis, config.REDIS_PREFIX, app.catalog.deviceLastSeq)
    app.decorate('sequencer', sequencer)
    if (!config.roles.has('ingest')) return
    const log = app.log.child({ module: 'sequence' })
    const gapSweep = setInterval(() => {
      sequencer
        .releaseGaps(config.SEQUENCE_GAP_WAIT_MS)
        .then(({ gaps, partitions }) => {
          for (const gap of gaps) log.warn(gap, 'deviceSeq gap never filled; later events applied')
          return app.partitionQueues.requestDrain(partitions)
        })
        .catch((err) => log.warn({ err: err.message }, 'gap sweep failed'))
    }, GAP_SWEEP_MS)
    app.lifecycle.onStopIntake(async () => clearInterval(gapSweep))
  },
  { name: 'sequence', dependencies: ['lifecycle', 'services', 'catalog', 'partition'] },
)
