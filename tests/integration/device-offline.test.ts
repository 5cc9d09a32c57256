import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useScenario } from '../helpers/scenario.ts'
import { eventually } from '../helpers/eventually.ts'
import { useScannerKit } from '../helpers/scanners.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'

const s = useScenario('offline', { products: 2, locations: 2, devices: 1 })
const kit = useScannerKit(s)
let wifi: Awaited<ReturnType<typeof startTcpProxy>>
beforeAll(async () => {
  wifi = await startTcpProxy(Number(new URL(s.env.urls.mqtt).port || 1883))
})
afterAll(async () => {
  await wifi?.close()
})

describe('a scanner that loses its connection', () => {
  it('keeps 200 scans made offline and delivers them once, in deviceSeq order, when it is back', async () => {
    const { fixture, inspect } = s
    const deviceId = fixture.devices[0]!
    const { client, outcomes } = await kit.start(deviceId, { brokerUrl: `mqtt://127.0.0.1:${wifi.port}` })
    await eventually('connection', () => client.connected)

    await wifi.cut()
    await eventually('the client noticing', () => !client.connected)
    const sku = fixture.skus[0]!
    const [a, b] = fixture.locations as [string, string]
    for (let i = 0; i < 50; i++) {
      await client.scan({ type: 'receive', barcode: sku, location: a, qty: 4 })
      await client.scan({ type: 'count', barcode: sku, location: a, qty: 3 })
      await client.scan({ type: 'move', barcode: sku, location: a, toLocation: b, qty: 2 })
      await client.scan({ type: 'pick', barcode: sku, location: b, qty: 2 })
    }
    expect(client.pending()).toHaveLength(200)
    expect(await inspect.rows('SELECT * FROM stock_movements')).toEqual([])

    await wifi.restore()
    await eventually('all 200 acks', () => outcomes.length === 200)
    expect(outcomes.every((o) => o.ack.status === 'applied')).toBe(true)
    expect(client.pending()).toEqual([])
    const ledger = await inspect.rows<{ device_seq: number; on_hand_after: number; leg: number }>(
      'SELECT device_seq, on_hand_after, leg FROM stock_movements WHERE leg = 0 ORDER BY id',
    )
    expect(ledger.map((m) => Number(m.device_seq))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    // Each round in order: receive 4, count 3 (absolute), move 2 to B, pick 2 at B; so A ends at 1, B at 0.
    expect(ledger.slice(0, 4).map((m) => m.on_hand_after)).toEqual([4, 3, 1, 0])
    expect((await inspect.levels()).map((l) => l.onHand)).toEqual([1, 0])
    expect(await inspect.inconsistencies()).toEqual([])
  })
})
