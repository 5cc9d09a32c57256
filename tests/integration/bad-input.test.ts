import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useScenario } from '../helpers/scenario.ts'
import { TestDevice } from '../helpers/test-device.ts'

const s = useScenario('badinput', { products: 3, locations: 2, devices: 2 })
let [device, other, ghost] = [] as TestDevice[] as [TestDevice, TestDevice, TestDevice]
beforeAll(async () => {
  ;[device, other] = s.devices as [TestDevice, TestDevice]
  ghost = await TestDevice.connect(s.env, 'GHOST-1')
})
afterAll(() => ghost?.close())

/** Publishes one message and returns the ack it gets (matched by eventId, or the next one for id-less rejections). */
async function send(from: TestDevice, payload: unknown, opts: { raw?: boolean; topicDevice?: string; ackOn?: TestDevice } = {}) {
  const listener = opts.ackOn ?? from
  const before = listener.acks.length
  // An object goes out signed by the sending device, a raw string exactly as given.
  await from.publish(opts.raw ? (payload as string | Buffer) : (payload as object), opts.topicDevice)
  const acks = await listener.waitFor((a) => a.length > before)
  return acks[before]!
}

describe('bad input is rejected with a clear code and writes nothing to stock', () => {
  const valid = () => device.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 2 })

  it.each([
    ['malformed JSON', '{"eventId": "x", ', 'MALFORMED_JSON'],
    ['a JSON number too large for a double', '{"qty": 1e309}', 'INVALID_EVENT'],
    ['a bare string', '"hello"', 'INVALID_EVENT'],
    ['an empty message', '', 'MALFORMED_JSON'],
  ])('%s', async (_name, raw, code) => {
    const ack = await send(device, raw, { raw: true })
    expect(ack).toMatchObject({ eventId: null, status: 'rejected', code })
    expect(ack.message).toBeTruthy()
  })

  it.each([
    ['a missing barcode', (e: Record<string, unknown>) => delete e.barcode, 'INVALID_EVENT', 'required properties barcode'],
    ['a negative pick qty', (e: Record<string, unknown>) => Object.assign(e, { type: 'pick', qty: -3 }), 'INVALID_EVENT', 'pick'],
    ['a huge qty', (e: Record<string, unknown>) => (e.qty = 1e12), 'INVALID_EVENT', '/qty'],
    ['a fractional qty', (e: Record<string, unknown>) => (e.qty = 1.5), 'INVALID_EVENT', '/qty'],
    ['a qty as a string', (e: Record<string, unknown>) => (e.qty = '2'), 'INVALID_EVENT', '/qty'],
    ['an unknown field', (e: Record<string, unknown>) => (e.price = 3), 'INVALID_EVENT', 'additional'],
    ['an unknown event type', (e: Record<string, unknown>) => (e.type = 'steal'), 'INVALID_EVENT', '/type'],
    ['a SQL-looking SKU', (e: Record<string, unknown>) => (e.barcode = "P-1'; DROP TABLE products;--"), 'BAD_BARCODE', 'BAD_FORMAT'],
    ['an unknown SKU', (e: Record<string, unknown>) => (e.barcode = 'DROP-TABLE-products'), 'UNKNOWN_BARCODE', 'DROP-TABLE'],
    ['a GTIN with a wrong check digit', (e: Record<string, unknown>) => (e.barcode = '09506000134353'), 'BAD_BARCODE', 'BAD_CHECK_DIGIT'],
    ['an unknown location', (e: Record<string, unknown>) => (e.location = 'Z-99'), 'UNKNOWN_LOCATION', 'Z-99'],
    ['a location with wildcards', (e: Record<string, unknown>) => (e.location = 'A/+/#'), 'INVALID_EVENT', '/location'],
    [
      'a GS1 count that disagrees with qty',
      (e: Record<string, unknown>) => (e.barcode = `(01)${s.fixture.gtins[0]}(37)5`),
      'QTY_MISMATCH',
      'label count 5',
    ],
  ])('%s', async (_name, spoil, code, mentions) => {
    const event = valid() as unknown as Record<string, unknown>
    spoil(event)
    const ack = await send(device, event)
    expect(ack).toMatchObject({ eventId: event.eventId, status: 'rejected', code })
    expect(ack.message).toContain(mentions)
  })

  it('a 1 MB payload', async () => {
    const event = { ...valid(), reason: 'x'.repeat(1024 * 1024) }
    const ack = await send(device, event)
    expect(ack).toMatchObject({ eventId: null, status: 'rejected', code: 'PAYLOAD_TOO_LARGE' })
  })

  // Refused as untrusted: answered without the eventId, which a forger could have taken from
  // another device (device-security.test.ts covers the rest).
  it('an unregistered device', async () => {
    const event = { ...valid(), deviceId: 'GHOST-1', eventId: randomUUID() }
    const ack = await send(ghost, event)
    expect(ack).toMatchObject({ eventId: null, status: 'rejected', code: 'UNKNOWN_DEVICE' })
  })

  it("a device publishing on another device's topic", async () => {
    const event = valid()
    const ack = await send(device, event, { topicDevice: other.deviceId, ackOn: other })
    expect(ack).toMatchObject({ eventId: null, status: 'rejected', code: 'DEVICE_MISMATCH' })
  })

  it('the same eventId with a different payload after it was applied', async () => {
    const first = valid()
    expect(await send(device, first)).toMatchObject({ status: 'applied', onHand: 2 })
    const ack = await send(device, { ...first, qty: 9, deviceSeq: first.deviceSeq })
    expect(ack).toMatchObject({ eventId: first.eventId, status: 'rejected', code: 'CONFLICT' })
    expect(await s.inspect.movementCount(first.eventId)).toBe(1)
    await s.inspect.db.query('DELETE FROM stock_movements')
    await s.inspect.db.query('DELETE FROM stock_levels')
  })

  it('leaves stock untouched, the tables intact and the device able to scan on', async () => {
    expect(await s.inspect.rows('SELECT * FROM stock_movements')).toEqual([])
    expect(await s.inspect.rows('SELECT * FROM stock_levels')).toEqual([])
    expect(await s.inspect.rows('SELECT * FROM held_events')).toEqual([])
    expect(await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM products')).toEqual([{ n: 3 }])
    // The rejected events' deviceSeqs were settled at ingest, so this one does not wait on a gap.
    const started = Date.now()
    expect(await send(device, valid())).toMatchObject({ status: 'applied', onHand: 2 })
    expect(Date.now() - started).toBeLessThan(Number(s.env.env.SEQUENCE_GAP_WAIT_MS))
  })
})
