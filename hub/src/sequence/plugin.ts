import fp from 'fastify-plugin'
import { Counter } from 'prom-client'
import { createDeviceSequencer, type DeviceSequencer } from './device-sequencer.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sequencer: DeviceSequencer
  }
}

const GAP_SWEEP_MS = 250

/**
 * The sequence stage: each device's events in deviceSeq order, and (where this process ingests)
 * the sweep that releases events whose missing predecessor never came, counted in
 * wh_sequence_gaps_total (only ingest processes count it: the sweep runs there).
 */
export default fp(
  async function sequence(app) {
    const { config } = app
    const sequencer = createDeviceSequencer(app.services.redis, config.REDIS_PREFIX, app.catalog.deviceLastSeq)
    app.decorate('sequencer', sequencer)
    if (!config.roles.has('ingest')) return
    const log = app.log.child({ module: 'sequence' })
    const gapsReleased = new Counter({
      name: 'wh_sequence_gaps_total',
      help: 'deviceSeq gaps released without their missing events, one per gap however many seqs it spans',
      registers: [app.metrics.registry],
    })
    const gapSweep = setInterval(() => {
      sequencer
        .releaseGaps(config.SEQUENCE_GAP_WAIT_MS)
        .then(({ gaps, partitions }) => {
          for (const gap of gaps) log.warn(gap, 'deviceSeq gap never filled; later events applied')
          if (gaps.length > 0) gapsReleased.inc(gaps.length)
          return app.partitionQueues.requestDrain(partitions)
        })
        .catch((err) => log.warn({ err: err.message }, 'gap sweep failed'))
    }, GAP_SWEEP_MS)
    app.lifecycle.onStopIntake(async () => clearInterval(gapSweep))
  },
  { name: 'sequence', dependencies: ['lifecycle', 'services', 'metrics', 'catalog', 'partition'] },
)
