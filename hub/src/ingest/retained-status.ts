import { setTimeout as sleep } from 'node:timers/promises'
import type { IPublishPacket, MqttClient } from 'mqtt'
import type { Log } from '../log.ts'

/** The subscription identifier (MQTT 5) of the retained read; the shared subscriptions carry none. */
const READ_ID = 1

/** How a message's copy is to be taken: a live message, a retained one read at start, or not at all. */
export type Copy = 'live' | 'retained' | 'skip'

/**
 * While the read's own subscription is open beside the shared ones, a live status message comes
 * twice: handled from the shared subscription only (a broker clears the retain flag of a live
 * message it forwards, MQTT 5 3.3.1.3, so only copies sent at subscription time carry it). A
 * retained copy on a shared subscription is skipped too: MQTT 5 (4.8.2) says a broker sends none
 * there, yet some do (Mosquitto 2.0.11), and the read gets its own.
 */
export function classifyCopy(packet: Pick<IPublishPacket, 'retain' | 'properties'>): Copy {
  const ids = packet.properties?.subscriptionIdentifier
  const fromRead = Array.isArray(ids) ? ids.includes(READ_ID) : ids === READ_ID
  if (fromRead) return packet.retain ? 'retained' : 'skip'
  return packet.retain ? 'skip' : 'live'
}

export interface RetainedReadTiming {
  /** The read ends once no retained message came for this long. @defaultValue 300 */
  quietMs: number
  /** ... or after this long in all. @defaultValue 10000 */
  maxMs: number
}

/**
 * Reads every device's retained status, which a shared subscription never delivers: a device
 * whose last will fired while no hub was connected would otherwise show online until it comes
 * back. A non-shared subscription is made, kept while retained messages keep coming, and left
 * (live status keeps coming through the shared one). MQTT marks no end of the retained ones, so
 * the read ends on a quiet spell; one that comes later is still taken (`classify`).
 */
export function createRetainedStatusRead(
  mqtt: Pick<MqttClient, 'subscribeAsync' | 'unsubscribeAsync'>,
  filter: string,
  log: Log,
  timing: RetainedReadTiming = { quietMs: 300, maxMs: 10_000 },
) {
  let lastArrival = 0
  let count = 0
  let running: Promise<void> | undefined
  let again = false
  let closed = false

  async function readOnce() {
    count = 0
    await mqtt.subscribeAsync(filter, { qos: 1, properties: { subscriptionIdentifier: READ_ID } })
    const started = (lastArrival = Date.now())
    while (!closed && Date.now() - lastArrival < timing.quietMs && Date.now() - started < timing.maxMs) await sleep(25)
    await mqtt.unsubscribeAsync(filter)
    log.info({ retained: count }, 'retained device status read')
  }

  return {
    /** Sorts a message's copy (see classifyCopy), noting each retained one the read is waiting for. */
    classify(packet: Pick<IPublishPacket, 'retain' | 'properties'>): Copy {
      const copy = classifyCopy(packet)
      if (copy === 'retained') {
        lastArrival = Date.now()
        count++
      }
      return copy
    },
    /**
     * Reads the retained status; a call during a read runs one more after it (a reconnect while
     * reading). Never rejects: a failed read is logged, and the keep-alive sweep still shows a
     * silent device offline.
     */
    read(): Promise<void> {
      if (closed) return Promise.resolve()
      if (running) {
        again = true
        return running
      }
      running = (async () => {
        do {
          again = false
          await readOnce().catch((err: Error) => log.warn({ err: err.message }, 'retained device status not read'))
        } while (again && !closed)
        running = undefined
      })()
      return running
    },
    /**
     * Ends a read under way (it leaves its subscription) and starts no more. Waits at most a
     * second: with the broker away, the unsubscribe waits for a reconnect that shutdown ends.
     */
    async close(): Promise<void> {
      closed = true
      await Promise.race([running, sleep(1000, undefined, { ref: false })])
    },
  }
}
