import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTopics, type DeviceSync, type ScanEvent } from '@wh/shared'
import type { HubApp } from '../../hub/src/app.ts'
import { InvalidSyncError, type ScannerClient, type ScanOutcome } from '../../devices/src/index.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE, seedFixture } from '../helpers/fixtures.ts'
import { openInspector, type Inspector } from '../helpers/inspect.ts'
import { useScenario } from '../helpers/scenario.ts'
import { useScannerKit } from '../helpers/scanners.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const s = useScenario('resync', { products: 1, locations: 1, devices: 2 })
const kit = useScannerKit(s)
let hub: MqttClient
beforeAll(async () => {
  hub = await mqtt.connectAsync(s.env.urls.mqtt, { protocolVersion: 5, clientId: `${s.env.id}-sync-${randomUUID().slice(0, 6)}` })
})
afterAll(() => hub?.endAsync())

/** Publishes a sync on the device's topic, as the hub does when it sees the device come online. */
const sendSync = (deviceId: string, sync: DeviceSync | string) =>
  hub.publishAsync(createTopics(s.env.env.MQTT_TOPIC_ROOT).sync(SITE, deviceId), typeof sync === 'string' ? sync : JSON.stringify(sync), {
    qos: 1,
  })

/** A real scanner of the kit, with what it tells its user (outcomes) and what it tells of resyncs. */
async function startScanner(deviceId: string) {
  const { client, outcomes } = await kit.start(deviceId)
  const resynced: ScanOutcome[] = []
  const pendingCounts: number[] = []
  const errors: Error[] = []
  client.on('resynced', (o) => resynced.push(o))
  client.on('pending', (n) => pendingCounts.push(n))
  client.on('error', (err) => errors.push(err))
  await eventually('connection', () => client.connected)
  return { client, outcomes, resynced, pendingCounts, errors }
}

async function receive(client: ScannerClient, n: number) {
  const { fixture } = s
  for (let i = 0; i < n; i++) await client.scan({ type: 'receive', barcode: fixture.skus[0]!, location: fixture.locations[0]!, qty: 1 })
}

const bySeq = (outcomes: ScanOutcome[]) => [...outcomes].sort((a, b) => a.event.deviceSeq - b.event.deviceSeq)

describe('a device told how far the hub has its events (a sync)', () => {
  it('resends what it kept above that point; the hub has it, answers duplicate, and applies nothing twice', async () => {
    const { fixture, inspect } = s
    const scanner = await startScanner(fixture.devices[0]!)
    await receive(scanner.client, 5)
    await eventually('five outcomes', () => scanner.outcomes.length === 5)
    expect(scanner.outcomes.map((o) => o.ack.status)).toEqual(Array(5).fill('applied'))
    expect(scanner.client.outbox.historySize).toBe(5)

    const countsBefore = scanner.pendingCounts.length
    await sendSync(fixture.devices[0]!, { appliedThrough: 2 })
    await eventually('the three events above 2 resent and settled', () => scanner.resynced.length === 3 && scanner.client.unsettled === 0)
    expect(bySeq(scanner.resynced).map((o) => [o.event.deviceSeq, o.ack.status, o.ack.settledAs])).toEqual([
      [3, 'duplicate', 'applied'],
      [4, 'duplicate', 'applied'],
      [5, 'duplicate', 'applied'],
    ])
    // The user saw each scan applied once; a resend is not a new outcome.
    expect(scanner.outcomes).toHaveLength(5)
    // The app shows them pending while they are resent.
    expect(Math.max(...scanner.pendingCounts.slice(countsBefore))).toBe(3)
    expect(scanner.pendingCounts.at(-1)).toBe(0)
    expect(scanner.client.pending()).toEqual([])
    expect(scanner.client.outbox.historySize).toBe(5)
    for (const { event } of scanner.outcomes) expect(await inspect.movementCount(event.eventId)).toBe(1)
    expect((await inspect.levels()).map((l) => l.onHand)).toEqual([5])
    expect(await inspect.inconsistencies()).toEqual([])
    await scanner.client.stop()
  })

  it('ignores a sync message that is not one, and says so', async () => {
    const deviceId = s.fixture.devices[0]!
    const scanner = await startScanner(deviceId)
    const resyncs: unknown[] = []
    scanner.client.on('resync', (r) => resyncs.push(r))
    await sendSync(deviceId, '{"appliedThrough":-1}')
    await sendSync(deviceId, 'not json')
    await eventually('both reported', () => scanner.errors.filter((e) => e instanceof InvalidSyncError).length === 2)
    expect(scanner.errors.filter((e) => e instanceof InvalidSyncError).map((e) => e.message)).toEqual([
      expect.stringContaining('invalid sync message: /appliedThrough'),
      'ignored an invalid sync message: not JSON',
    ])
    expect(resyncs).toEqual([])
    expect(scanner.client.pending()).toEqual([])
    await scanner.client.stop()
  })

  describe('after the hub lost events (restored from a backup that lacks them)', () => {
    const restored = createTestEnv('resync-restored')
    let restoredHub: HubApp | undefined
    let restoredDb: Inspector | undefined
    afterAll(async () => {
      await restoredHub?.close()
      await restoredDb?.close()
      await restored.cleanup()
    })

    it('resends them and the hub applies each exactly once', async () => {
      const deviceId = s.fixture.devices[1]!
      const scanner = await startScanner(deviceId)
      await receive(scanner.client, 4)
      await eventually('four outcomes', () => scanner.outcomes.length === 4)
      const events = bySeq(scanner.outcomes).map((o) => o.event)

      // The hub goes down and comes back on a database that has none of them (same topics).
      for (const app of s.hubs.splice(0)) await app.close()
      await seedFixture(restored, { products: 1, locations: 1, devices: 2 })
      restoredHub = await buildHub(restored, { MQTT_TOPIC_ROOT: s.env.env.MQTT_TOPIC_ROOT, MQTT_SHARE_GROUP: s.env.env.MQTT_SHARE_GROUP })
      restoredDb = await openInspector(restored)
      expect(await restoredDb.rows('SELECT * FROM stock_movements')).toEqual([])

      // The restored hub may send its own sync too (the device's retained status is `online`).
      const answers = (e: ScanEvent, status: string) =>
        scanner.resynced.filter((o) => o.event.eventId === e.eventId && o.ack.status === status)
      await sendSync(deviceId, { appliedThrough: 0 })
      await eventually(
        'each resent and applied',
        () => events.every((e) => answers(e, 'applied').length > 0) && scanner.client.unsettled === 0,
      )
      // Told again: the hub has them now.
      const before = events.map((e) => answers(e, 'duplicate').length)
      await sendSync(deviceId, { appliedThrough: 0 })
      await eventually(
        'each resent again and answered duplicate',
        () => events.every((e, i) => answers(e, 'duplicate').length > before[i]!) && scanner.client.unsettled === 0,
      )
      for (const e of events) expect(answers(e, 'applied')).toHaveLength(1)
      expect(scanner.resynced.every((o) => ['applied', 'duplicate'].includes(o.ack.status))).toBe(true)

      expect(scanner.outcomes).toHaveLength(4)
      expect(scanner.pendingCounts.at(-1)).toBe(0)
      const ledger = await restoredDb.rows<{ event_id: string; device_seq: number }>(
        'SELECT event_id, device_seq FROM stock_movements WHERE leg = 0 ORDER BY id',
      )
      expect(ledger.map((m) => [m.event_id, Number(m.device_seq)])).toEqual(events.map((e) => [e.eventId, e.deviceSeq]))
      expect((await restoredDb.levels()).map((l) => l.onHand)).toEqual([4])
      expect(await restoredDb.inconsistencies()).toEqual([])
    })
  })
})
