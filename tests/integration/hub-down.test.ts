import { afterAll, describe, expect, it } from 'vitest'
import type { HubApp } from '../../hub/src/app.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { useScenario } from '../helpers/scenario.ts'
import { eventually } from '../helpers/eventually.ts'
import { useScannerKit } from '../helpers/scanners.ts'

const s = useScenario('hubdown', { products: 1, locations: 1, devices: 1, hubs: [] })
const kit = useScannerKit(s)
let hub: HubApp | undefined
afterAll(async () => {
  await hub?.close()
})

describe('no hub answers', () => {
  it('keeps the events, resends them with growing gaps, and drains when the hub starts', async () => {
    const { fixture, inspect } = s
    const { client, outcomes } = await kit.start(fixture.devices[0]!, { ackTimeoutMs: 400, maxBackoffMs: 10_000 })
    const resends: number[] = []
    client.on('resend', () => resends.push(Date.now()))
    await eventually('connection', () => client.connected)
    const scan = () => client.scan({ type: 'receive', barcode: fixture.skus[0]!, location: fixture.locations[0]!, qty: 1 })
    // One event first, so each resend is one round (many events' jittered rounds blur together):
    // 400, 800, 1,600, 3,200 ms apart, each +-20%, seen on a 250 ms tick.
    await scan()
    await eventually('four resend rounds', () => resends.length >= 4, 15_000)
    const gaps = resends.slice(1).map((t, i) => t - resends[i]!)
    expect(gaps[2]!).toBeGreaterThan(gaps[0]! * 1.5)
    for (let i = 1; i < 30; i++) await scan()
    expect(client.pending()).toHaveLength(30)
    expect(outcomes).toEqual([])

    hub = await buildHub(s.env)
    await eventually('all 30 settled', () => outcomes.length === 30, 30_000)
    expect(outcomes.every((o) => o.ack.status === 'applied')).toBe(true)
    expect(client.pending()).toEqual([])
    const [row] = await inspect.rows<{ n: number }>('SELECT COUNT(DISTINCT event_id) AS n FROM stock_movements')
    expect(row?.n).toBe(30)
  })
})
