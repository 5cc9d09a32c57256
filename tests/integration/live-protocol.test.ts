import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { liveProtocols, type ServerMessage } from '@wh/shared/live'
import { eventually } from '../helpers/eventually.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { liveUrl, TestScreen } from '../helpers/screen.ts'

// Two instances: deltas committed through either reach the screens of both.
const s = useScenario('live', {
  products: 12,
  locations: 2,
  devices: 2,
  hubs: [{ LIVE_HEARTBEAT_MS: 500 }, { LIVE_HEARTBEAT_MS: 500, LIVE_MAX_BUFFERED_BYTES: 64 * 1024 }],
})
const screens: TestScreen[] = []
const open = async (hub: (typeof s.hubs)[number], options: Partial<Parameters<typeof TestScreen.open>[1]> = {}) => {
  const screen = await TestScreen.open(hub, { apiKey: s.fixture.keys.viewer, ...options })
  screens.push(screen)
  return screen
}
afterEach(() => screens.splice(0).forEach((x) => x.close()))

/** Receives one unit of each product in order, from device 0, and waits for the acks. */
async function receiveEach(skus: string[], qty = 1) {
  const device = s.devices[0]!
  const before = device.acks.length
  for (const sku of skus) await device.publish(device.event({ type: 'receive', barcode: sku, location: s.fixture.locations[0]!, qty }))
  await device.waitFor((acks) => acks.length >= before + skus.length)
}

async function dbOnHand(): Promise<Record<string, number>> {
  return Object.fromEntries((await s.inspect.levels()).filter((l) => l.site === SITE).map((l) => [`${l.sku}/${l.location}`, l.onHand]))
}

/** Every seq an inventory message covered, in arrival order. */
function coveredSeqs(messages: ServerMessage[]): number[] {
  return messages.flatMap((m) => {
    if (m.type === 'inventory_update') return [m.seq]
    if (m.type !== 'inventory_batch_update') return []
    return Array.from({ length: m.seq - m.fromSeq + 1 }, (_, i) => m.fromSeq + i)
  })
}

describe('floor-screen protocol', () => {
  it('a new screen gets a snapshot equal to the database, then each scan as the next seq', async () => {
    await receiveEach(s.fixture.skus.slice(0, 3), 5)
    const screen = await open(s.hubs[0]!)
    expect(screen.of('inventory_snapshot')).toHaveLength(1)
    expect(screen.onHand()).toEqual(await dbOnHand())
    expect(screen.view.info.get(s.fixture.skus[0]!)).toMatchObject({ name: `Product ${s.fixture.skus[0]}` })

    const seq = screen.view.seq
    await receiveEach([s.fixture.skus[0]!])
    await eventually('the update', () => screen.view.seq === seq + 1, 5000)
    // By type: an activity message for the same scan may come just after it.
    const update = screen.of('inventory_update').at(-1)
    expect(update).toMatchObject({ type: 'inventory_update', seq: seq + 1, data: { sku: s.fixture.skus[0], onHand: 6 } })

    // A delta names only the locations that changed; the screen keeps the others.
    const device = s.devices[0]!
    const [loc1, loc2] = s.fixture.locations as [string, string]
    const other = device.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: loc2, qty: 2 })
    await device.publish(other)
    await eventually('the second location', () => screen.view.seq === seq + 2, 5000)
    const second = screen.of('inventory_update').at(-1)
    expect(second).toMatchObject({ seq: seq + 2, data: { onHand: 8, locations: { [loc2]: { onHand: 2 } } } })
    expect(Object.keys(second!.data.locations)).toEqual([loc2])
    expect(screen.view.stock.get(s.fixture.skus[0]!)?.locations).toEqual({
      [loc1]: { onHand: 6, reserved: 0, available: 6 },
      [loc2]: { onHand: 2, reserved: 0, available: 2 },
    })
  })

  it('resuming from `since` returns exactly the missed deltas, in order, with no snapshot', async () => {
    const first = await open(s.hubs[0]!)
    const since = first.view.seq
    first.close()
    const missed = s.fixture.skus.slice(2, 10)
    await receiveEach(missed)

    const socket = new WebSocket(await liveUrl(s.hubs[1]!), liveProtocols(s.fixture.keys.viewer))
    const received: ServerMessage[] = []
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage))
    await new Promise((r) => socket.once('open', r))
    socket.send(JSON.stringify({ type: 'subscribe', since }))
    await eventually('the resume', () => received.some((m) => m.type === 'subscribed'), 5000)
    socket.close()

    const inventory = received.filter((m) => m.type.startsWith('inventory'))
    expect(inventory.map((m) => m.type)).toEqual(['inventory_batch_update'])
    const batch = inventory[0] as Extract<ServerMessage, { type: 'inventory_batch_update' }>
    expect(batch.fromSeq).toBe(since + 1)
    expect(batch.seq).toBe(since + missed.length)
    // Products commit in parallel partitions: the stream's order, not the publish order, is the truth.
    const stream = await s.inspect.redis.xRange(s.inspect.cache.keys.stream(SITE), `${since + 1}-0`, '+')
    expect(batch.data.map((d) => d.sku)).toEqual(stream.map((e) => JSON.parse(e.message.m!).data.sku))
    expect(new Set(batch.data.map((d) => d.sku))).toEqual(new Set(missed))
    expect(received.find((m) => m.type === 'subscribed')).toMatchObject({ mode: 'resume', seq: since + missed.length })
  })

  it('a `since` the hub no longer holds (or never had) gets a fresh snapshot', async () => {
    const socket = new WebSocket(await liveUrl(s.hubs[0]!), liveProtocols(s.fixture.keys.viewer))
    const received: ServerMessage[] = []
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage))
    await new Promise((r) => socket.once('open', r))
    socket.send(JSON.stringify({ type: 'subscribe', since: 1e9 }))
    await eventually('the answer', () => received.some((m) => m.type === 'subscribed'), 5000)
    socket.send(JSON.stringify({ type: 'subscribe', since: -1, extra: true }))
    await eventually('the refusal', () => received.some((m) => m.type === 'error'), 5000)
    socket.close()
    // A snapshot (possibly shared with other screens a moment ago), then any deltas after it.
    const inventory = received.filter((m) => m.type.startsWith('inventory'))
    expect(inventory[0]?.type).toBe('inventory_snapshot')
    expect(inventory.slice(1).every((m) => m.type === 'inventory_batch_update' || m.type === 'inventory_update')).toBe(true)
    const subscribed = received.find((m) => m.type === 'subscribed')
    expect(subscribed).toMatchObject({ mode: 'snapshot', seq: Number(await s.inspect.redis.get(s.inspect.cache.keys.seq(SITE))) })
    expect(received.find((m) => m.type === 'error')).toMatchObject({ code: 'INVALID_MESSAGE' })
  })

  it('a screen that sees a seq gap resubscribes and ends equal to the database', async () => {
    const screen = await open(s.hubs[0]!)
    // A delta lost on its way: the stream skips one seq, as a screen would see a dropped message.
    const { keys } = s.inspect.cache
    const skipped = (await s.inspect.redis.incr(keys.seq(SITE))) as number
    const ghost = await s.inspect.redis.incr(keys.seq(SITE))
    const stock = (await s.inspect.cache.read(SITE, s.fixture.skus[0]!))!
    await s.inspect.redis.xAdd(keys.stream(SITE), `${ghost}-0`, {
      m: JSON.stringify({ seq: ghost, type: 'inventory_update', at: Date.now(), data: stock }),
    })
    await eventually('the resubscribe', () => screen.client.resubscribes === 1 && screen.view.seq === ghost, 5000)
    expect(skipped).toBe(ghost - 1)
    // The hub cannot replay the lost seq either, so the screen starts again from a snapshot.
    expect(screen.of('inventory_snapshot')).toHaveLength(2)
    await receiveEach([s.fixture.skus[1]!])
    await eventually('the next delta', () => screen.view.seq === ghost + 1, 5000)
    expect(screen.onHand()).toEqual(await dbOnHand())
  })

  it('two hub instances deliver the same sequence to their screens', async () => {
    const [a, b] = [await open(s.hubs[0]!), await open(s.hubs[1]!)]
    const start = Math.max(a.view.seq, b.view.seq)
    await receiveEach(s.fixture.skus)
    const end = start + s.fixture.skus.length
    await eventually('both screens', () => a.view.seq >= end && b.view.seq >= end, 10_000)
    const after = (m: ServerMessage[]) => coveredSeqs(m).filter((q) => q > start)
    expect(after(a.messages)).toEqual(after(b.messages))
    expect(after(a.messages)).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i))
    expect(a.onHand()).toEqual(b.onHand())
    expect(a.onHand()).toEqual(await dbOnHand())
  })

  it('a screen that never reads is dropped; the others get every delta', async () => {
    const hub = s.hubs[1]!
    const reader = await open(hub)
    const stalled = new WebSocket(await liveUrl(hub), liveProtocols(s.fixture.keys.viewer))
    await new Promise((r) => stalled.once('open', r))
    stalled.send(JSON.stringify({ type: 'subscribe' }))
    await eventually('the stalled screen to subscribe', () => hub.screens.sites.size === 2, 5000)
    const closed = new Promise<number>((r) => stalled.once('close', (code) => r(code)))
    // Stop reading: the hub's send buffer for this screen grows past its limit.
    ;(stalled as unknown as { _socket: { pause(): void } })._socket.pause()

    const start = reader.view.seq
    const stock = (await s.inspect.cache.read(SITE, s.fixture.skus[0]!))!
    const big = {
      ...stock,
      locations: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`BIN-${i}`, stock.locations[s.fixture.locations[0]!]!])),
    }
    let seq = start
    for (let i = 0; i < 8000 && hub.screens.sites.size > 1; i++) {
      seq = await s.inspect.redis.incr(s.inspect.cache.keys.seq(SITE))
      await s.inspect.redis.xAdd(s.inspect.cache.keys.stream(SITE), `${seq}-0`, {
        m: JSON.stringify({ seq, type: 'inventory_update', at: Date.now(), data: big }),
      })
    }
    await eventually('the stalled screen to be dropped', () => hub.screens.sites.size === 1, 10_000)
    // Reading again, the stalled screen finds its connection ended by the hub, not by itself.
    ;(stalled as unknown as { _socket: { resume(): void } })._socket.resume()
    expect(await closed).not.toBe(1000)
    await eventually('the reading screen to catch up', () => reader.view.seq === seq, 10_000)
    expect(reader.client.resubscribes).toBe(0)
    expect(coveredSeqs(reader.messages).filter((q) => q > start)).toEqual(Array.from({ length: seq - start }, (_, i) => start + 1 + i))
  })

  it('shows activity, device status and held events on the floor feed', async () => {
    const screen = await open(s.hubs[0]!)
    const device = s.devices[1]!
    const pick = device.event({ type: 'pick', barcode: s.fixture.skus[11]!, location: s.fixture.locations[1]!, qty: 3 })
    await device.publish(pick)
    await device.waitFor((acks) => acks.some((a) => a.eventId === pick.eventId))
    await eventually('the held event', () => screen.of('held_event').some((m) => m.held.some((h) => h.eventId === pick.eventId)), 5000)
    await eventually('the activity', () => screen.of('activity').some((m) => m.items.some((i) => i.eventId === pick.eventId)), 5000)
    const held = screen.of('held_event').at(-1)!
    expect(held.pending).toBeGreaterThanOrEqual(1)
    expect(held.held.find((h) => h.eventId === pick.eventId)).toMatchObject({ code: 'INSUFFICIENT_STOCK', sku: s.fixture.skus[11] })
    const item = screen
      .of('activity')
      .flatMap((m) => m.items)
      .find((i) => i.eventId === pick.eventId)
    expect(item).toMatchObject({ deviceId: device.deviceId, status: 'held', eventType: 'pick', qty: 3 })

    await s.devices[0]!.publish(Buffer.from('{not json'))
    await eventually('the rejection', () => screen.of('activity').some((m) => m.items.some((i) => i.code === 'MALFORMED_JSON')), 5000)

    const initial = screen.of('device_status')[0]!
    expect(initial.devices.map((d) => d.deviceId)).toEqual(s.fixture.devices)
    const topic = `${s.env.env.MQTT_TOPIC_ROOT}/site1/devices/${device.deviceId}/status`
    await s.hubs[0]!.mqtt.publishAsync(topic, 'online', { qos: 1 })
    await eventually(
      'the device tile',
      () => screen.of('device_status').some((m) => m.devices.length === 1 && m.devices[0]!.status === 'online'),
      5000,
    )
  })

  it('GET /api/sync-status counts the screens of every instance and their lag, per site', async () => {
    await open(s.hubs[0]!)
    await open(s.hubs[1]!)
    await eventually(
      'both instances to report',
      async () => (await s.hubs[0]!.inject({ url: '/api/sync-status', headers: bearer(s.fixture.keys.viewer) })).json().totalScreens === 2,
      5000,
    )
    const status = (await s.hubs[0]!.inject({ url: '/api/sync-status', headers: bearer(s.fixture.keys.viewer) })).json()
    expect(status).toMatchObject({ screens: 1, totalScreens: 2 })
    const site = status.sites.find((x: { site: string }) => x.site === SITE)
    expect(site).toMatchObject({ screens: 1, lag: 0 })
    expect(site.instances).toHaveLength(2)
    expect(site.seq).toBeGreaterThan(0)
  })
})
