import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { OrderingClient } from '@wh/shared'
import type { LiveClient } from '@wh/shared/live'
import { MemoryOutbox, startScanner } from '../../devices/src/index.ts'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'
import { testDeviceSecret } from '../helpers/device-secrets.ts'
import { SITE } from '../helpers/fixtures.ts'
import { countBurst } from './harness/fault-log.ts'
import { testSeed } from './harness/fault-test.ts'
import { byProfile } from './harness/profile.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { openScreen } from './invariants/screens.ts'
import { rssBytes } from './inputs/hub-heap.ts'

// Item 27: two hubs (all roles) on the shared MariaDB and Redis; scanners keep events in memory
// (the bench's load generator does the same): this measures the hub, not the handhelds' disks.
const DEVICES = 20
const stack = useSharedStack({
  label: 'f27burst',
  products: 50,
  locations: 5,
  devices: DEVICES,
  hubEnv: { PARTITIONS: 16, BATCH_MAX: 200 },
})
const MB = 1024 * 1024

describe('item 27: a 10x burst, 200 to 2,000 events/s for 10 s, with 50 sockets and 20 reservations/s', () => {
  it('holds I1-I7, drains the backlog within 60 s and keeps each hub under 512 MB', async () => {
    const s = stack.current
    const rnd = seededRandom(testSeed('burst'))
    const burst = { rate: 2000, seconds: byProfile({ ci: 5, full: 10 }) }
    const hubs = [await s.startHub(), await s.startHub()]
    const keys = (s.fixture as { keys?: Record<string, string> }).keys
    const apiKey = keys?.orders
    const screens: LiveClient[] = await Promise.all(
      Array.from({ length: 50 }, (_, i) => openScreen(hubs[i % 2]!.url!, keys?.viewer as string)),
    )
    const clients = await Promise.all(
      s.fixture.devices.map((deviceId) =>
        startScanner({
          deviceId,
          site: SITE,
          secret: testDeviceSecret(deviceId),
          brokerUrl: s.env.urls.mqtt,
          topicRoot: s.env.env.MQTT_TOPIC_ROOT,
          store: new MemoryOutbox(),
          ackTimeoutMs: 60_000,
        }),
      ),
    )
    let answered = 0
    for (const c of clients) {
      c.on('error', () => undefined)
      c.on('outcome', () => answered++)
    }
    let scanned = 0
    const scan = () => {
      scanned++
      void rnd.pick(clients).scan({ type: 'receive', barcode: rnd.pick(s.fixture.skus), location: rnd.pick(s.fixture.locations), qty: 1 })
    }
    // Open loop: the offered rate follows the clock, whatever the acks do.
    const phases = [{ rate: 200, seconds: 5 }, burst, { rate: 200, seconds: 5 }]
    const ordering = hubs.map((h) => new OrderingClient({ baseUrl: h.url!, backoffMs: 50, ...(apiKey ? { apiKey } : {}) }))
    let reservations = 0
    let reserving = true
    const reserver = (async () => {
      for (let i = 0; reserving; i++) {
        void ordering[i % 2]!.reserve({ site: SITE, lines: [{ sku: rnd.pick(s.fixture.skus), qty: 1 }] }).then(
          () => reservations++,
          () => undefined,
        )
        await sleep(50)
      }
    })()
    let maxRss = 0
    const sampler = setInterval(() => {
      for (const h of hubs)
        void rssBytes(h.child.pid!).then(
          (b) => (maxRss = Math.max(maxRss, b)),
          () => undefined,
        )
    }, 250)
    let burstEnd = 0
    let burstAnswered = 0
    for (const phase of phases) {
      const started = performance.now()
      const base = scanned
      const answeredBefore = answered
      while (performance.now() - started < phase.seconds * 1000) {
        const due = Math.floor(((performance.now() - started) / 1000) * phase.rate) - (scanned - base)
        for (let i = 0; i < due; i++) scan()
        await sleep(5)
      }
      if (phase === burst) {
        burstEnd = Date.now()
        burstAnswered = answered - answeredBefore
      }
    }
    reserving = false
    await reserver
    const drainDeadline = Date.now() + 60_000
    while (answered < scanned && Date.now() < drainDeadline) await sleep(50)
    const drainedAfterBurst = (Date.now() - burstEnd) / 1000
    clearInterval(sampler)
    const held = answered === scanned && drainedAfterBurst <= 60 && maxRss < 512 * MB
    console.log(
      `item 27: ${scanned} scans (burst ${burst.rate}/s for ${burst.seconds} s, ${Math.round(burstAnswered / burst.seconds)}/s answered during it), ` +
        `all answered ${drainedAfterBurst.toFixed(1)} s after the burst ended; ${reservations} reservations; max hub RSS ${(maxRss / MB).toFixed(0)} MB`,
    )
    countBurst(27, burst.rate, burst.seconds, held)
    expect(answered).toBe(scanned)
    expect(drainedAfterBurst).toBeLessThan(60)
    expect(maxRss).toBeLessThan(512 * MB)
    await Promise.all(clients.map((c) => c.stop()))
    const [ledger] = await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM stock_movements')
    expect(Number(ledger!.n)).toBe(scanned)
    expect(await checkAll(s, { item: 27, screens })).toEqual([])
    for (const screen of screens) screen.stop()
  })
})
