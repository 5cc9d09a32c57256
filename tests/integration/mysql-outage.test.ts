import { afterAll, describe, expect, it } from 'vitest'
import { useScenario } from '../helpers/scenario.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'

let proxy: Awaited<ReturnType<typeof startTcpProxy>>
// Only the hub reaches MySQL through the proxy; the inspector and other tests go direct.
const s = useScenario('outage', {
  products: 2,
  locations: 1,
  devices: 1,
  hubs: async (env) => {
    const direct = new URL(env.env.MYSQL_URL!)
    proxy = await startTcpProxy(Number(direct.port || 3306), direct.hostname)
    return [{ MYSQL_URL: `mysql://root@127.0.0.1:${proxy.port}${direct.pathname}`, MIGRATE_ON_START: false }]
  },
})
afterAll(() => proxy?.close())

describe('MySQL unreachable for a while', () => {
  it('keeps events waiting in their queues and applies them, in order, when it returns', async () => {
    const { fixture, inspect } = s
    const [hub, device] = [s.hubs[0]!, s.devices[0]!]
    const location = fixture.locations[0]!
    const warmUp = fixture.skus.map((sku) => device.event({ type: 'receive', barcode: sku, location, qty: 1 }))
    for (const e of warmUp) await device.publish(e)
    await device.waitFor((acks) => acks.length === warmUp.length)

    await proxy.cut()
    const during = fixture.skus.flatMap((sku) =>
      Array.from({ length: 10 }, () => [
        device.event({ type: 'receive', barcode: sku, location, qty: 5 }),
        device.event({ type: 'count', barcode: sku, location, qty: 3 }),
        device.event({ type: 'pick', barcode: sku, location, qty: 1 }),
      ]).flat(),
    )
    for (const e of during) await device.publish(e)
    await new Promise((r) => setTimeout(r, 4000))
    expect(device.acks).toHaveLength(warmUp.length)
    expect(await inspect.rows('SELECT * FROM stock_movements')).toHaveLength(warmUp.length)
    const ready = await hub.inject('/ready')
    expect(ready.statusCode).toBe(503)
    expect(ready.json().checks.mysql).toBe('down')

    await proxy.restore()
    // Every event answered; a batch replayed after the outage may ack its events a second time.
    await device.waitFor(() => during.every((e) => device.acksFor(e.eventId).length > 0), 30_000)
    expect(during.map((e) => device.acksFor(e.eventId)[0]!.status)).toEqual(during.map(() => 'applied'))
    // Applied in device order: every count lands after its receive and before its pick.
    const ledger = await inspect.rows<{ device_seq: number; on_hand_after: number }>(
      'SELECT device_seq, on_hand_after FROM stock_movements WHERE device_seq > ? ORDER BY device_seq',
      [warmUp.at(-1)!.deviceSeq],
    )
    expect(ledger.map((m) => Number(m.device_seq))).toEqual(during.map((e) => e.deviceSeq))
    expect(ledger.map((m) => m.on_hand_after)).toEqual(
      fixture.skus.flatMap(() => [6, 3, 2, ...Array.from({ length: 9 }, () => [7, 3, 2]).flat()]),
    )
    expect((await inspect.levels()).map((l) => l.onHand)).toEqual([2, 2])
    expect(await inspect.inconsistencies()).toEqual([])
    expect((await hub.inject('/ready')).statusCode).toBe(200)
  })

  it('leaves a scan of a product it has never looked up unanswered, not unknown, until MySQL is back', async () => {
    const { fixture, inspect } = s
    const [hub, device] = [s.hubs[0]!, s.devices[0]!]
    const created = await hub.inject({
      method: 'POST',
      url: '/api/products',
      headers: { authorization: `Bearer ${fixture.keys.admin}` },
      payload: { sku: 'OUTAGE-NEW', name: 'Added just before the outage' },
    })
    expect(created.statusCode).toBe(201)

    await proxy.cut()
    const receipt = device.event({ type: 'receive', barcode: 'OUTAGE-NEW', location: fixture.locations[0]!, qty: 4 })
    await device.publish(receipt)
    await new Promise((r) => setTimeout(r, 3000))
    // Not `rejected UNKNOWN_BARCODE`: the hub cannot know yet, so it does not answer.
    expect(device.acksFor(receipt.eventId)).toEqual([])

    await proxy.restore()
    // What a scanner does after its ack timeout (this test device does not resend by itself).
    await device.publish(receipt)
    await device.waitFor(() => device.acksFor(receipt.eventId).length > 0, 30_000)
    expect(device.acksFor(receipt.eventId)[0]!.status).toBe('applied')
    const [row] = await inspect.rows<{ on_hand: number }>(
      'SELECT l.on_hand FROM stock_levels l JOIN products p ON p.id = l.product_id WHERE p.sku = ?',
      ['OUTAGE-NEW'],
    )
    expect(row?.on_hand).toBe(4)
  })
})
