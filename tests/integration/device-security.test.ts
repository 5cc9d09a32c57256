import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseProvisioning, type Ack, type DeviceInfo, type DeviceWithSecret, type ScanEvent } from '@wh/shared'
import { signEvent } from '@wh/shared/signing'
import { buildApp, type HubApp } from '../../hub/src/app.ts'
import { createSecretBox } from '../../hub/src/devices/secret-box.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { TestDevice } from '../helpers/test-device.ts'

// The hub is built here, not by the scenario, so its log can be read.
const s = useScenario('devsecurity', { products: 2, locations: 2, devices: 4, hubs: [] })
const logs: Record<string, unknown>[] = []
let hub: HubApp
let a: TestDevice, b: TestDevice
const extra: TestDevice[] = []

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>)
      done()
    },
  })
  hub = await buildApp(s.env.config({ LOG_LEVEL: 'warn' }), { logger: { level: 'warn', stream } })
  ;[a, b] = s.devices as [TestDevice, TestDevice]
  await s.inspect.db.query("INSERT INTO sites (code, name) VALUES ('site2', 'Second site')")
  await s.inspect.db.query("INSERT INTO locations (site, code) VALUES ('site2', 'S2-1')")
})
afterAll(async () => {
  await Promise.all(extra.map((d) => d.close()))
  await hub?.close()
})

const connect = async (deviceId: string, site = SITE, secret?: string) => {
  const device = await TestDevice.connect(s.env, deviceId, site, secret)
  extra.push(device)
  return device
}
const api = async <T>(method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await hub.inject({ method, url, payload, headers: bearer(s.fixture.keys.admin) })
  return { status: res.statusCode, body: res.json<T>(), text: res.body }
}
/** Publishes and returns the next ack `listener` gets. */
async function send(
  from: TestDevice,
  payload: object,
  opts: { topicDevice?: string; sign?: boolean | string; listener?: TestDevice } = {},
) {
  const listener = opts.listener ?? from
  const before = listener.acks.length
  await from.publish(payload, opts.topicDevice, opts.sign ?? true)
  return (await listener.waitFor((acks) => acks.length > before))[before]!
}
const receipt = (device: TestDevice, qty = 1) =>
  device.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty })
/** Stock as every store holds it, for "unchanged" checks. */
const stock = async () => ({
  levels: await s.inspect.levels(),
  movements: await s.inspect.rows('SELECT event_id, qty_delta FROM stock_movements ORDER BY id'),
  cache: await s.inspect.cache.read(SITE, s.fixture.skus[0]!),
  held: await s.inspect.rows('SELECT event_id FROM held_events'),
})
/** Who sends what where; `event: null` is a fresh receipt of the sender's own. */
interface Forgery {
  from: TestDevice
  event: ScanEvent | null
  topicDevice?: string
  sign?: boolean | string
  listener?: TestDevice
}
const refusals = (eventId: string) => logs.filter((l) => l.msg === 'event refused' && l.eventId === eventId)

describe('forged events are refused, logged, and change nothing', () => {
  let before: Awaited<ReturnType<typeof stock>>
  beforeAll(async () => {
    expect(await send(a, receipt(a, 5))).toMatchObject({ status: 'applied', onHand: 5 })
    before = await stock()
  })

  it.each<[string, string, () => Promise<Forgery>]>([
    ['from an unknown device', 'UNKNOWN_DEVICE', async () => ({ from: await connect('GHOST-9'), event: null })],
    ['signed with a wrong secret', 'BAD_SIGNATURE', async () => ({ from: a, event: receipt(a), sign: 'not the secret' })],
    ['unsigned', 'BAD_SIGNATURE', async () => ({ from: a, event: receipt(a), sign: false })],
    [
      "naming another device, on that device's topic, signed with the sender's own secret",
      'BAD_SIGNATURE',
      async () => ({ from: a, event: { ...receipt(a), deviceId: b.deviceId }, topicDevice: b.deviceId, listener: b }),
    ],
    [
      "on another device's topic, naming the sender",
      'DEVICE_MISMATCH',
      async () => ({ from: a, event: receipt(a), topicDevice: b.deviceId, listener: b }),
    ],
    [
      'from a device of another site, on this site',
      'WRONG_SITE',
      async () => {
        const { secret } = (await api<DeviceWithSecret>('POST', '/api/devices', { id: 'SITE2-HH', site: 'site2' })).body
        return { from: await connect('SITE2-HH', SITE, secret), event: null }
      },
    ],
  ])('%s: %s', async (_name, code, setup) => {
    const forged = await setup()
    const from = forged.from
    const event = forged.event ?? from.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 50 })
    const ack = await send(from, event, forged)
    expect(ack).toMatchObject({ eventId: null, status: 'rejected', code })
    expect(refusals(event.eventId)).toMatchObject([{ level: 40, code, topic: expect.stringContaining('/devices/') }])
    expect(await stock()).toEqual(before)
  })

  it('a replay: an old signature on a new eventId is refused; the same event again is a duplicate', async () => {
    const original = receipt(a, 2)
    const signature = signEvent(original, a.secret)
    expect(await send(a, original)).toMatchObject({ status: 'applied', onHand: 7 })
    before = await stock()

    const replayed = { ...original, eventId: randomUUID(), deviceSeq: original.deviceSeq + 1000, signature }
    expect(await send(a, replayed, { sign: false })).toMatchObject({ eventId: null, status: 'rejected', code: 'BAD_SIGNATURE' })
    expect(refusals(replayed.eventId)).toHaveLength(1)
    expect(await send(a, { ...original, signature }, { sign: false })).toMatchObject({ eventId: original.eventId, status: 'duplicate' })
    expect(await stock()).toEqual(before)
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('leaves the device whose topic was forged unaffected: its pending event and sequence are its own', async () => {
    const real = receipt(b, 3)
    // The forger knows B's next eventId and position, and tries to settle them: a valid copy with
    // another quantity, unsigned, and a broken one.
    await send(a, { ...real, qty: 999 }, { topicDevice: b.deviceId, sign: false, listener: b })
    await send(a, { ...real, barcode: undefined }, { topicDevice: b.deviceId, sign: false, listener: b })
    expect(b.acksFor(real.eventId)).toEqual([])
    expect(b.acks.slice(-2)).toMatchObject([
      { eventId: null, code: 'BAD_SIGNATURE' },
      { eventId: null, code: 'INVALID_EVENT' },
    ])

    const started = Date.now()
    expect(await send(b, real)).toMatchObject({ eventId: real.eventId, status: 'applied', onHand: 10 })
    // Not held back as if its position had a gap, nor answered as a duplicate of the forgery.
    expect(Date.now() - started).toBeLessThan(Number(s.env.env.SEQUENCE_GAP_WAIT_MS))
    expect(await s.inspect.rows('SELECT qty_delta FROM stock_movements WHERE event_id = ?', [real.eventId])).toEqual([{ qty_delta: 3 }])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })
})

describe('registration, rotation and disabling', () => {
  const PROVISIONED = { format: 'wh-device', v: 1, deviceId: 'HH-NEW', site: SITE }
  it('registers a device and shows its secret once; the API and the database never show it again', async () => {
    // The actor is the caller (here the admin key), never something the body says.
    expect((await api('POST', '/api/devices', { id: 'HH-NEW', site: SITE, actor: 'alice' })).body).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    const created = await api<DeviceWithSecret>('POST', '/api/devices', { id: 'HH-NEW', site: SITE, kind: 'handheld' })
    expect(created.status).toBe(201)
    const { secret, device } = created.body
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(device).toMatchObject({ id: 'HH-NEW', site: SITE, enabled: true, hasSecret: true })
    // With it, what a handheld scans to join: unset PUBLIC_URL and PUBLIC_MQTT_URL mean the
    // address asked at and MQTT_URL.
    expect(parseProvisioning(JSON.stringify(created.body.provisioning))).toEqual({
      ok: true,
      value: { ...PROVISIONED, hub: 'http://localhost', mqtt: s.env.urls.mqtt, topicRoot: s.env.env.MQTT_TOPIC_ROOT, secret },
    })

    const again = await api('POST', '/api/devices', { id: 'HH-NEW', site: SITE })
    expect(again.status).toBe(409)
    expect(again.text).not.toContain(secret)
    expect((await api('POST', '/api/devices', { id: 'HH-X', site: 'nowhere' })).status).toBe(422)

    const list = await api<{ devices: DeviceInfo[] }>('GET', '/api/devices')
    expect(list.body.devices.map((d) => d.id)).toContain('HH-NEW')
    expect(list.text).not.toContain(secret)
    const one = await api<DeviceInfo>('GET', '/api/devices/HH-NEW')
    expect(one.body).not.toHaveProperty('secret')
    expect(one.text).not.toContain(secret)

    const [row] = await s.inspect.rows<Record<string, unknown>>("SELECT * FROM devices WHERE id = 'HH-NEW'")
    expect(row!.secret_sealed).toEqual(expect.any(String))
    expect(JSON.stringify(row)).not.toContain(secret)
    expect(hub.services.secretBox.unseal(row!.secret_sealed as string, 'HH-NEW')).toBe(secret)
    const audit = await s.inspect.rows<Record<string, string>>(
      "SELECT action, actor, `after` FROM audit_log WHERE entity = 'device' AND entity_id = 'HH-NEW'",
    )
    expect(audit).toMatchObject([{ action: 'register', actor: 'test-admin' }])
    expect(JSON.stringify(audit)).not.toContain(secret)
    expect(JSON.stringify(audit)).not.toContain(row!.secret_sealed)

    const device2 = await connect('HH-NEW', SITE, secret)
    expect(await send(device2, receipt(device2))).toMatchObject({ status: 'applied' })
  })

  it('rotation: the old secret stops working at once, the new one works', async () => {
    const device = s.devices[2]!
    expect(await send(device, receipt(device))).toMatchObject({ status: 'applied' })
    const rotated = await api<DeviceWithSecret>('POST', `/api/devices/${device.deviceId}/rotate`, {})
    expect(rotated.status).toBe(200)
    expect(rotated.body.secret).not.toBe(device.secret)

    expect(await send(device, receipt(device))).toMatchObject({ eventId: null, status: 'rejected', code: 'BAD_SIGNATURE' })
    expect(await send(device, receipt(device), { sign: rotated.body.secret })).toMatchObject({ status: 'applied' })
    expect((await api('POST', '/api/devices/NOPE/rotate', {})).status).toBe(404)
  })

  it('disabling refuses the device, enabling lets it in again; both audited', async () => {
    const device = s.devices[3]!
    expect(await api<DeviceInfo>('POST', `/api/devices/${device.deviceId}/disable`)).toMatchObject({
      status: 200,
      body: { enabled: false },
    })
    const refused = receipt(device)
    expect(await send(device, refused)).toMatchObject({ eventId: null, status: 'rejected', code: 'DEVICE_DISABLED' })
    expect(refusals(refused.eventId)).toMatchObject([{ code: 'DEVICE_DISABLED' }])

    expect(await api<DeviceInfo>('POST', `/api/devices/${device.deviceId}/enable`, {})).toMatchObject({
      status: 200,
      body: { enabled: true },
    })
    expect(await send(device, receipt(device))).toMatchObject({ status: 'applied' })
    const actions = await s.inspect.rows<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = ? ORDER BY id', [
      device.deviceId,
    ])
    expect(actions.map((r) => r.action)).toEqual(['disable', 'enable'])
  })

  it('a secret sealed with another hub key does not open: the device is refused and the log says why', async () => {
    const device = s.devices[3]!
    const foreign = createSecretBox(Buffer.alloc(32, 9)).seal(device.secret, device.deviceId)
    await s.inspect.db.query('UPDATE devices SET secret_sealed = ? WHERE id = ?', [foreign, device.deviceId])
    hub.catalog.forgetDevice(device.deviceId)
    const event: ScanEvent = receipt(device)
    expect(await send(device, event)).toMatchObject({ status: 'rejected', code: 'BAD_SIGNATURE' } satisfies Partial<Ack>)
    expect(refusals(event.eventId)).toMatchObject([{ detail: expect.stringContaining('HUB_SECRET_KEY') }])
  })
})
