import { setTimeout as sleep } from 'node:timers/promises'
import mqtt from 'mqtt'
import { createTopics, type ScanEvent } from '@wh/shared'
import { withSignature } from '@wh/shared/signing'
import type { ScannerClient, ScanOutcome } from '../../../devices/src/index.ts'
import { testDeviceSecret } from '../../helpers/device-secrets.ts'
import { SITE } from '../../helpers/fixtures.ts'
import { FAULT_SCANNER, type FaultStack } from '../harness/fault-stack.ts'
import { generateWorkload, type Op, type WorkloadShape } from './arbitraries.ts'

export interface DeviceRecord {
  deviceId: string
  /** The SKUs this device owns; no other device scans them. */
  skus: string[]
  client: ScannerClient
  /** Every event it scanned, in deviceSeq order. */
  events: ScanEvent[]
  /** First answer per event, as the device saw it. */
  outcomes: ScanOutcome[]
  /** Copies this test republished on purpose (resend ops). */
  resends: number
  /** Events the client itself sent again after an ack timeout or a reconnect. */
  clientResends: number
}

export interface WorkloadOptions {
  seed: number
  shape: WorkloadShape
  /** Scans per second across all devices. */
  ratePerSecond: number
}

/**
 * Drives real scanners (durable outboxes, resend until acked) through seeded scripts against a
 * fault stack, recording what each device scanned and what it was told. Resend ops republish an
 * earlier event's exact bytes from another connection, as a flaky network would.
 */
export async function startWorkload(stack: Pick<FaultStack, 'fixture' | 'env' | 'scanners'>, options: WorkloadOptions) {
  const { shape } = options
  const scripts = generateWorkload(options.seed, shape)
  const { fixture, env } = stack
  if (fixture.devices.length < shape.devices || fixture.skus.length < shape.devices * shape.productsPerDevice)
    throw new Error('the fault stack has too few devices or products for this workload')
  const topics = createTopics(env.env.MQTT_TOPIC_ROOT)
  const replayer = await mqtt.connectAsync(env.urls.mqtt, { protocolVersion: 5, reconnectPeriod: 500 })
  replayer.on('error', () => undefined)

  const records: DeviceRecord[] = []
  for (let d = 0; d < shape.devices; d++) {
    const deviceId = fixture.devices[d]!
    const { client, outcomes } = await stack.scanners.start(deviceId, FAULT_SCANNER)
    const skus = fixture.skus.slice(d * shape.productsPerDevice, (d + 1) * shape.productsPerDevice)
    const record: DeviceRecord = { deviceId, skus, client, events: [], outcomes, resends: 0, clientResends: 0 }
    client.on('resend', ({ events }) => (record.clientResends += events))
    records.push(record)
  }

  const input = (record: DeviceRecord, op: Exclude<Op, { kind: 'resend' }>) => ({
    type: op.kind,
    barcode: record.skus[op.product]!,
    location: fixture.locations[op.location]!,
    ...(op.kind === 'move' ? { toLocation: fixture.locations[op.toLocation]! } : {}),
    ...(op.kind === 'adjust' ? { reason: 'fault-test adjustment' } : {}),
    qty: op.qty,
  })

  let stopped = false
  let scanned = 0
  const intervalMs = (shape.devices * 1000) / options.ratePerSecond
  const drive = async (record: DeviceRecord, script: Op[]) => {
    for (const op of script) {
      if (stopped) return
      if (op.kind === 'resend') {
        const earlier = record.events[record.events.length - op.back]
        // Fire and forget: the broker may be down, which is the point; QoS 1 queues it in the client.
        if (earlier && replayer.connected) {
          // The client keeps its events unsigned (it signs each send), so the copy is signed here,
          // as the device sent it: an unsigned copy would only be refused, never deduplicated.
          const copy = withSignature(earlier, testDeviceSecret(record.deviceId))
          replayer.publish(topics.events(SITE, record.deviceId), JSON.stringify(copy), { qos: 1 })
          record.resends++
        }
      } else {
        record.events.push(await record.client.scan(input(record, op)))
        scanned++
      }
      await sleep(intervalMs)
    }
  }
  const done = Promise.all(records.map((r, d) => drive(r, scripts[d]!)))

  const settledIds = (r: DeviceRecord) => new Set(r.outcomes.map((o) => o.event.eventId))
  const unsettled = () => records.flatMap((r) => r.events.filter((e) => !settledIds(r).has(e.eventId)))

  return {
    seed: options.seed,
    scripts,
    records,
    /** Resolves once every script has been scanned (not yet answered). */
    done,
    get scanned() {
      return scanned
    },
    get answered() {
      return records.reduce((a, r) => a + r.outcomes.length, 0)
    },
    /** Waits until `n` scans have been made, to place a fault in the middle of the load. */
    async reach(n: number, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      while (scanned < n && Date.now() < deadline) await sleep(20)
    },
    /**
     * I8: one more scan (a receive of 1, so the model stays exact) and how long its answer took;
     * Infinity when none came within `timeoutMs`.
     */
    async probe(timeoutMs = 15_000): Promise<number> {
      const record = records[0]!
      const started = Date.now()
      const event = await record.client.scan({ type: 'receive', barcode: record.skus[0]!, location: fixture.locations[0]!, qty: 1 })
      record.events.push(event)
      while (!record.outcomes.some((o) => o.event.eventId === event.eventId)) {
        if (Date.now() - started > timeoutMs) return Infinity
        await sleep(20)
      }
      return Date.now() - started
    },
    /** I4: waits (up to `timeoutMs`) until every scan has its answer; returns those still without. */
    async settle(timeoutMs = 30_000): Promise<ScanEvent[]> {
      await done
      const deadline = Date.now() + timeoutMs
      while (unsettled().length > 0 && Date.now() < deadline) await sleep(50)
      return unsettled()
    },
    /** One line on what happened, for the test's log. */
    describe() {
      const sum = (f: (r: DeviceRecord) => number) => records.reduce((a, r) => a + f(r), 0)
      const statuses: Record<string, number> = {}
      for (const r of records)
        for (const o of r.outcomes) {
          // A code is named with its status, so a surprising answer says why it came.
          const settled = o.ack.settledAs ?? o.ack.status
          const key = o.ack.code ? `${settled} ${o.ack.code}` : settled
          statuses[key] = (statuses[key] ?? 0) + 1
        }
      return `seed ${options.seed}: ${scanned} scans, answers ${JSON.stringify(statuses)}, ${sum((r) => r.resends)} replayed copies, ${sum((r) => r.clientResends)} client resends`
    },
    async stop() {
      stopped = true
      await done
      await replayer.endAsync(true)
    },
  }
}

export type WorkloadRun = Awaited<ReturnType<typeof startWorkload>>
