import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTopics } from '@wh/shared'
import type { ScannerClient } from '../../devices/src/index.ts'
import { checkInvariants, formatReport } from '../../hub/src/invariants/check-invariants.ts'
import { SITE, seedFixture, type Fixture } from '../helpers/fixtures.ts'
import { eventually } from '../helpers/eventually.ts'
import { startHubProcess, type HubProcess } from '../helpers/hub-process.ts'
import { openInspector, type Inspector } from '../helpers/inspect.ts'
import { createScannerKit, type ScannerKit } from '../helpers/scanners.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const run = promisify(execFile)

// The installation, and the database and Redis prefix it is restored into: its own names, so
// cleanup removes both. The restored hub keeps the installation's broker topics, as its devices do.
const env = createTestEnv('drill')
const restored = createTestEnv('restored')
Object.assign(restored.env, { MQTT_TOPIC_ROOT: env.env.MQTT_TOPIC_ROOT, MQTT_SHARE_GROUP: env.env.MQTT_SHARE_GROUP })

let fixture: Fixture
let kit: ScannerKit
const hubs: HubProcess[] = []
const inspectors: Inspector[] = []

beforeAll(async () => {
  fixture = await seedFixture(env, { products: 4, locations: 2, devices: 4 })
  kit = await createScannerKit(env)
})
afterAll(async () => {
  await kit?.close()
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')))
  await Promise.all(inspectors.map((i) => i.close()))
  // The scanners' retained status would outlive the test on the shared broker.
  const cleaner = await mqtt.connectAsync(env.urls.mqtt, { protocolVersion: 5, clientId: `${env.id}-cleaner` })
  const topics = createTopics(env.env.MQTT_TOPIC_ROOT)
  for (const id of fixture?.devices ?? []) await cleaner.publishAsync(topics.status(SITE, id), '', { qos: 1, retain: true })
  await cleaner.endAsync()
  await env.cleanup()
  await restored.cleanup()
})

/** One of the scripts, as an operator runs it; its output is kept for a failure's message. */
async function script(name: 'backup' | 'restore', args: string[]): Promise<{ code: number; output: string }> {
  return run('bash', [join('scripts', `${name}.sh`), ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, output: err.stdout + err.stderr }),
  )
}

/**
 * Scans until stopped, each device on a product of its own: receive 2 at the first location, move
 * 1 to the second, pick it there. Every event applies in any replay of the device's own order, so
 * the restored books can be compared with the original ones figure for figure.
 */
function scanContinuously(client: ScannerClient, sku: string) {
  const [from, to] = fixture.locations as [string, string]
  let scanning = true
  const done = (async () => {
    for (let n = 0; scanning; n++) {
      if (n % 3 === 0) await client.scan({ type: 'receive', barcode: sku, location: from, qty: 2 })
      else if (n % 3 === 1) await client.scan({ type: 'move', barcode: sku, location: from, toLocation: to, qty: 1 })
      else await client.scan({ type: 'pick', barcode: sku, location: to, qty: 1 })
      await sleep(15)
    }
  })()
  return async () => {
    scanning = false
    await done
  }
}

const ledgerIds = async (inspect: Inspector) =>
  (await inspect.rows<{ event_id: string }>('SELECT event_id FROM stock_movements WHERE leg = 0 ORDER BY event_id')).map((r) => r.event_id)

describe('the restore drill', () => {
  it('dumps while scans flow, restores into a new database, and the devices resend what it lacks', { timeout: 300_000 }, async () => {
    const hub = await startHubProcess(env, 'server')
    hubs.push(hub)
    const scanners = await Promise.all(fixture.devices.map((id) => kit.start(id)))
    const resyncs = scanners.map(() => [] as number[])
    scanners.forEach(({ client }, i) => client.on('resync', (r) => resyncs[i]!.push(r.appliedThrough)))
    await eventually('scanners online', () => scanners.every(({ client }) => client.connected))
    const stops = scanners.map(({ client }, i) => scanContinuously(client, fixture.skus[i]!))

    await sleep(1500)
    const dump = join(kit.dir, 'warehouse.sql.gz')
    const backup = await script('backup', ['--database-url', env.env.MYSQL_URL!, dump])
    expect(backup.code, backup.output).toBe(0)
    expect(backup.output).toContain('backup: table stock_movements')
    await sleep(1500)
    await Promise.all(stops.map((stop) => stop()))
    await eventually('every scan acknowledged', () => scanners.every(({ client }) => client.unsettled === 0), 60_000)
    await hub.stop()

    // What the devices were told: every scan applied. The original books, to hold the restored ones to.
    const acked = scanners.flatMap(({ outcomes }) => outcomes)
    expect(acked.every((o) => o.ack.status === 'applied')).toBe(true)
    const original = await openInspector(env)
    inspectors.push(original)
    const originalIds = await ledgerIds(original)
    expect(originalIds).toEqual(acked.map((o) => o.event.eventId).sort())
    const originalLevels = await original.levels()

    // The old Redis state must not meet the restored database: the script refuses its prefix.
    const refused = await script('restore', ['--database-url', restored.env.MYSQL_URL!, '--redis-prefix', env.env.REDIS_PREFIX!, dump])
    expect(refused.code, refused.output).toBe(1)
    expect(refused.output).toContain('holds keys of the old state')
    const restore = await script('restore', ['--database-url', restored.env.MYSQL_URL!, '--redis-prefix', restored.env.REDIS_PREFIX!, dump])
    expect(restore.code, restore.output).toBe(0)
    const inspect = await openInspector(restored)
    inspectors.push(inspect)
    const inDump = (await ledgerIds(inspect)).length
    expect(inDump).toBeGreaterThan(0)
    expect(inDump).toBeLessThan(originalIds.length)

    // A hub on the restored database and a new Redis prefix; the scanners stayed connected.
    const syncedBefore = resyncs.map((r) => r.length)
    hubs.push(await startHubProcess(restored, 'server'))
    await eventually('every device sent its sync point', () => resyncs.every((r, i) => r.length > syncedBefore[i]!))
    // A new Redis holds no sequence position: each device resends all it keeps.
    expect(resyncs.map((r) => r.at(-1))).toEqual(fixture.devices.map(() => 0))
    await eventually(
      'the ledger back to what the devices were told',
      async () => (await ledgerIds(inspect)).length >= originalIds.length && scanners.every(({ client }) => client.unsettled === 0),
      // Seconds when the machine is idle; a resend whose ack is late backs off (5 s, doubling), so a loaded one takes longer.
      120_000,
    )

    expect(await ledgerIds(inspect)).toEqual(originalIds)
    expect(await inspect.levels()).toEqual(originalLevels)
    const report = await checkInvariants(
      { pool: inspect.pool, redis: inspect.redis, cache: inspect.cache, prefix: restored.env.REDIS_PREFIX! },
      10_000,
    )
    expect(report.ok, formatReport(report)).toBe(true)
  })
})
