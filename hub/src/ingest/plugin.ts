import fp from 'fastify-plugin'
import { setTimeout as sleep } from 'node:timers/promises'
import DataLoader from 'dataloader'
import type { Outcome } from '../acks/outcome-store.ts'
import type { SequencerEntry, SequencerState } from '../sequence/device-sequencer.ts'
import { createScanHandler } from './handlers/scan.ts'
import { createStatusHandler } from './handlers/status.ts'
import { createRetainedStatusRead } from './retained-status.ts'
import { createTopicRouter } from './topic-router.ts'
import { createDeviceSync } from '../devices/device-sync.ts'

/** Most messages handled at once; past it the MQTT client stops reading (and acking) the socket. */
const MAX_IN_FLIGHT = 512
/** On shutdown: quiet this long after the unsubscribe means the broker sends no more; wait at most the cap. */
const STOP_QUIET_MS = 100
const STOP_WAIT_MAX_MS = 3000

/**
 * MQTT in: a shared subscription to every device's events and status, routed to the handlers,
 * and a read of the retained status at start and after each reconnect.
 */
export default fp(
  async function ingest(app) {
    const { mqtt, topics, config } = app
    const log = app.log.child({ module: 'ingest' })

    const pending = new Set<number>()
    const flushDrains = () => {
      const partitions = [...pending]
      pending.clear()
      app.partitionQueues.requestDrain(partitions).catch((err) => log.warn({ err: err.message }, 'drain request failed; the sweep retries'))
    }
    // Coalesced per tick: one BullMQ add per partition, not one per event.
    const requestDrain = (p: number) => {
      if (pending.size === 0) setImmediate(flushDrains)
      pending.add(p)
    }

    // Every event of a tick shares one MGET and one sequencer call, instead of two round trips each.
    const knownOutcome = new DataLoader<string, Outcome | undefined>((ids) => app.outcomes.getMany(ids), {
      cache: false,
      maxBatchSize: 1000,
    })
    const admissions = new DataLoader<SequencerEntry, SequencerState>(
      async (entries) => {
        const { states, partitions } = await app.sequencer.admit([...entries])
        partitions.forEach(requestDrain)
        return states
      },
      { cache: false, maxBatchSize: 1000 },
    )

    const route = createTopicRouter(
      topics,
      {
        events: createScanHandler({
          catalog: app.catalog,
          knownOutcome: (id) => knownOutcome.load(id),
          admit: (entry) => admissions.load(entry),
          acks: app.acks,
          feed: app.services.floorFeed,
          log,
          topics,
          partitions: config.PARTITIONS,
          maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
        }),
        status: createStatusHandler({
          catalog: app.catalog,
          presence: app.devicePresence,
          sync: createDeviceSync({ mqtt, topics, position: app.sequencer.position, log }),
          log,
        }),
      },
      log,
    )

    let inFlight = 0
    let lastMessageAt = 0
    const waiting: (() => void)[] = []
    const retainedStatus = createRetainedStatusRead(mqtt, `${topics.root}/+/devices/+/status`, log)
    mqtt.on('message', (topic, payload, packet) => {
      const copy = retainedStatus.classify(packet)
      if (copy === 'skip') return
      inFlight++
      lastMessageAt = Date.now()
      void route(topic, payload, copy === 'retained').finally(() => {
        inFlight--
        waiting.shift()?.()
      })
    })
    // mqtt.js reads the next packet (and sends this PUBACK) only after this callback: backpressure.
    mqtt.handleMessage = (_packet, done) => {
      if (inFlight < MAX_IN_FLIGHT) done()
      else waiting.push(done)
    }

    const subscriptions = [
      topics.sharedSubscription('events', config.MQTT_SHARE_GROUP),
      topics.sharedSubscription('status', config.MQTT_SHARE_GROUP),
    ]
    await mqtt.subscribeAsync(subscriptions, { qos: 1 })
    // Not awaited: the hub starts meanwhile, and the status it reads is applied as it comes.
    void retainedStatus.read()
    // A status that changed while this hub was cut from the broker is retained there too.
    const reread = () => void retainedStatus.read()
    mqtt.on('connect', reread)
    // Shutdown, first of all: leave the shared subscription so the broker sends new events to the
    // other hubs, then admit what already arrived (PUBACKed, so ours to keep). Anything the broker
    // still had in flight to us when the client ends is lost with its clean session, and resent by
    // its device after the ack timeout.
    app.lifecycle.onStopIntake(async () => {
      mqtt.off('connect', reread)
      await retainedStatus.close()
      await mqtt.unsubscribeAsync(subscriptions).catch((err: Error) => log.warn({ err: err.message }, 'unsubscribe failed'))
      const deadline = Date.now() + STOP_WAIT_MAX_MS
      while ((inFlight > 0 || Date.now() - lastMessageAt < STOP_QUIET_MS) && Date.now() < deadline) await sleep(20)
      if (pending.size > 0) flushDrains()
      log.info({ inFlight }, 'ingest stopped')
    })
  },
  {
    name: 'ingest',
    dependencies: ['lifecycle', 'mqtt', 'catalog', 'acks', 'partition', 'sequence', 'services', 'device-presence'],
  },
)
