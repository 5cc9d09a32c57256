import { afterAll, describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { bearer } from '../helpers/fixtures.ts'
import { startHubProcess, type HubProcess } from '../helpers/hub-process.ts'
import { useScenario } from '../helpers/scenario.ts'
import { useScannerKit } from '../helpers/scanners.ts'
import { eventually } from '../helpers/eventually.ts'
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text.ts'

const PER_DEVICE = 400

// Both hubs are child processes (all roles each), so one can be sent SIGTERM like an orchestrator would.
const s = useScenario('sigterm', { products: 8, locations: 2, devices: 4, hubs: [] })
const kit = useScannerKit(s)
const hubs: HubProcess[] = []
afterAll(() => Promise.all(hubs.map((h) => h.stop('SIGKILL'))))

const listeningUrl = (hub: HubProcess) => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(hub.output())?.[1]

describe('SIGTERM to one of two hubs under load', () => {
  it('exits 0 within 10 s; every event is then settled exactly once, the books agree and no job is left', async () => {
    const { env, fixture, inspect } = s
    const [leaving, staying] = [await startHubProcess(env, 'server'), await startHubProcess(env, 'server')]
    hubs.push(leaving, staying)

    const clients = await Promise.all(fixture.devices.map((id) => kit.start(id)))
    await eventually('scanners connected', () => clients.every(({ client }) => client.connected))
    const scanned: ScanEvent[] = []
    let loadDone = false
    const load = Promise.all(
      clients.map(async ({ client }, d) => {
        for (let i = 0; i < PER_DEVICE; i++) {
          const barcode = fixture.skus[(i * 7 + d) % fixture.skus.length]!
          const [location, toLocation] = i % 2 ? fixture.locations : [...fixture.locations].reverse()
          const roll = (i * 13 + d * 5) % 10
          const input =
            roll < 5
              ? { type: 'receive' as const, barcode, location: location!, qty: 3 }
              : roll < 8
                ? { type: 'pick' as const, barcode, location: location!, qty: 1 }
                : roll < 9
                  ? { type: 'count' as const, barcode, location: location!, qty: 20 }
                  : { type: 'move' as const, barcode, location: location!, toLocation: toLocation!, qty: 1 }
          scanned.push(await client.scan(input))
          // Paced, so the load runs on for seconds after the SIGTERM.
          if (i % 5 === 4) await new Promise((r) => setTimeout(r, 25))
        }
      }),
    ).then(() => (loadDone = true))
    const settled = () => clients.reduce((n, c) => n + c.outcomes.length, 0)

    await eventually('a quarter settled', () => settled() >= PER_DEVICE, 30_000)
    const settledAtSigterm = settled()
    const sentAt = Date.now()
    leaving.child.kill('SIGTERM')
    const underLoad = !loadDone
    const code = await leaving.exited
    const took = Date.now() - sentAt
    expect(underLoad, 'the load was still running at SIGTERM').toBe(true)
    console.log(`SIGTERM to exit: ${took} ms; settled then ${settledAtSigterm} of ${PER_DEVICE * clients.length}`)
    expect(code, leaving.output().slice(-3000)).toBe(0)
    expect(took).toBeLessThan(10_000)
    expect(leaving.output()).toMatch(/"msg":"ingest stopped"/)
    expect(leaving.output()).toMatch(/"msg":"shut down"/)

    await load
    await eventually('every scan answered', () => clients.every(({ client }) => client.pending().length === 0), 60_000)

    // I3/I4: every scanned event is in the ledger or held, once; nothing else is.
    const ids = new Set(scanned.map((e) => e.eventId))
    const ledger = await inspect.rows<{ event_id: string; n: number }>(
      'SELECT event_id, COUNT(*) AS n FROM stock_movements WHERE leg = 0 GROUP BY event_id',
    )
    const held = await inspect.rows<{ event_id: string }>('SELECT event_id FROM held_events')
    expect(ledger.filter((r) => Number(r.n) !== 1)).toEqual([])
    const settledIds = [...ledger.map((r) => r.event_id), ...held.map((r) => r.event_id)]
    expect(settledIds).toHaveLength(ids.size)
    expect(new Set(settledIds)).toEqual(ids)
    // The devices heard the same: applied where the ledger has it, held where held_events has it.
    const inLedger = new Set(ledger.map((r) => r.event_id))
    for (const { outcomes } of clients)
      for (const { event, ack } of outcomes) {
        const status = ack.status === 'duplicate' ? ack.settledAs : ack.status
        expect(status, event.eventId).toBe(inLedger.has(event.eventId) ? 'applied' : 'held')
      }
    // I1: ledger = levels = lots = cache.
    expect(await inspect.inconsistencies()).toEqual([])

    // I7: the remaining hub's view of the queues: nothing waiting, running, delayed or failed, no inbox left.
    const url = listeningUrl(staying)!
    await eventually(
      'queues drained',
      async () => {
        const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`, { headers: bearer(s.fixture.keys.metrics) })).text())
        // The orders and reconcile queues keep their schedulers' delayed jobs; the partitions keep nothing.
        const partitionJobs = metrics.get('wh_queue_jobs')!.samples.filter((q) => q.labels.queue!.startsWith('partition-'))
        return partitionJobs.every((q) => q.value === 0) && sumOf(metrics, 'wh_partition_inbox_events') === 0
      },
      20_000,
    )
    expect(staying.output()).not.toMatch(/stalled/)
    expect(leaving.output()).not.toMatch(/stalled/)
  })
})
