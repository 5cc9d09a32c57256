import { beforeAll, describe, expect, it } from 'vitest'
import { useScenario } from '../helpers/scenario.ts'

// Two instances in one share group: the broker alternates the device's messages between them.
const s = useScenario('order', { products: 2, locations: 1, devices: 1, hubs: [{}, {}] })
const received = [0, 0]
beforeAll(() => s.hubs.forEach((hub, i) => hub.mqtt.on('message', () => received[i]!++)))

describe('per-product order across two hub instances', () => {
  it('applies receive 5, count 3, pick 3 in device order, ending at 0 every round', async () => {
    const { fixture, inspect } = s
    const device = s.devices[0]!
    const [sku] = fixture.skus as [string]
    const location = fixture.locations[0]!
    const rounds = 25
    const events = Array.from({ length: rounds }, () => [
      device.event({ type: 'receive', barcode: sku, location, qty: 5 }),
      device.event({ type: 'count', barcode: sku, location, qty: 3 }),
      device.event({ type: 'pick', barcode: sku, location, qty: 3 }),
    ]).flat()
    // Published back to back, without waiting for acks, as a handheld with a backlog would.
    await Promise.all(events.map((e) => device.publish(e)))
    await device.waitFor((acks) => acks.length >= events.length)

    expect(received[0]).toBeGreaterThan(0)
    expect(received[1]).toBeGreaterThan(0)
    expect(
      device.acks.every((a) => a.status === 'applied'),
      JSON.stringify(device.acks.filter((a) => a.status !== 'applied')),
    ).toBe(true)
    const ledger = await inspect.rows<{ device_seq: number; type: string; qty_delta: number; on_hand_after: number }>(
      'SELECT device_seq, type, qty_delta, on_hand_after FROM stock_movements ORDER BY id',
    )
    expect(ledger.map((m) => Number(m.device_seq))).toEqual(events.map((e) => e.deviceSeq))
    expect(ledger.map((m) => m.on_hand_after)).toEqual(Array.from({ length: rounds }, () => [5, 3, 0]).flat())
    // The count is recorded as its variance: 3 counted against 5 on hand.
    expect(ledger.filter((m) => m.type === 'count').every((m) => m.qty_delta === -2)).toBe(true)
    expect((await inspect.levels())[0]?.onHand).toBe(0)
    expect(await inspect.inconsistencies()).toEqual([])
  })
})

describe('a deviceSeq that never arrives', () => {
  it('holds the next event only for the gap wait, then applies it; the late one still applies', async () => {
    const { fixture, env } = s
    const device = s.devices[0]!
    const [, sku] = fixture.skus as [string, string]
    const location = fixture.locations[0]!
    const missing = device.event({ type: 'receive', barcode: sku, location, qty: 2 })
    const next = device.event({ type: 'pick', barcode: sku, location, qty: 1 })
    const before = device.acks.length
    const sent = Date.now()
    await device.publish(next)
    await device.waitFor((acks) => acks.length > before)
    const waited = Date.now() - sent
    // Released after the gap wait: the pick was applied without its receive, so it is held.
    expect(device.acks.at(-1)).toMatchObject({ eventId: next.eventId, status: 'held', code: 'INSUFFICIENT_STOCK' })
    expect(waited).toBeGreaterThanOrEqual(Number(env.env.SEQUENCE_GAP_WAIT_MS) - 100)

    await device.publish(missing)
    await device.waitFor((acks) => acks.length > before + 1)
    expect(device.acks.at(-1)).toMatchObject({ eventId: missing.eventId, status: 'applied', onHand: 2 })
  })
})
