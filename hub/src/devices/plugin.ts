import fp from 'fastify-plugin'
import { registerDeviceGauge } from '../metrics/state-gauges.ts'
import { createDevicePresence, type DevicePresence } from './device-presence.ts'

declare module 'fastify' {
  interface FastifyInstance {
    devicePresence: DevicePresence
  }
}

/**
 * Device presence: the status each device is shown with, its gauge (every process), and where
 * this process ingests, the sweep that shows offline a device not heard from in time.
 */
export default fp(
  async function devicePresence(app) {
    const { config } = app
    const presence = createDevicePresence({
      db: app.services.database.db,
      feed: app.services.floorFeed,
      state: app.services.floorState,
      offlineAfterSeconds: config.DEVICE_OFFLINE_AFTER_SECONDS,
    })
    app.decorate('devicePresence', presence)
    registerDeviceGauge(app.metrics.registry, {
      devices: presence.counts,
      onError: (err) => app.log.debug({ err: err.message }, 'a metrics source failed; its last value stands'),
    })
    if (!config.roles.has('ingest')) return

    const log = app.log.child({ module: 'device-presence' })
    // A tenth of the setting (1 to 15 s): a silent device shows offline at most that much late.
    const everyMs = Math.min(15_000, Math.max(1000, config.DEVICE_OFFLINE_AFTER_SECONDS * 100))
    const sweep = setInterval(() => {
      presence
        .sweep()
        .then((ids) => ids.length > 0 && log.info({ devices: ids }, 'devices not heard from in time shown offline'))
        .catch((err: Error) => log.warn({ err: err.message }, 'device presence sweep failed'))
    }, everyMs)
    app.lifecycle.onStopIntake(async () => clearInterval(sweep))
  },
  { name: 'device-presence', dependencies: ['lifecycle', 'services', 'metrics'] },
)
