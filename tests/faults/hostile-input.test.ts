import { randomBytes } from 'node:crypto'
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import { TestDevice } from '../helpers/test-device.ts'
import { countBadInputs, countFault } from './harness/fault-log.ts'
import { byProfile } from './harness/profile.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { answersTo } from './inputs/send-and-wait.ts'

// Items 6-9 on one hub. Devices: D-1 the sender of bad input, D-2 an honest neighbour.
const stack = useSharedStack({ label: 'f06hostile', products: 4, locations: 2, devices: 3 })
const connect = (id: string) => TestDevice.connect(stack.current.env, id)
const receipt = (d: TestDevice, qty = 1, more: object = {}) =>
  d.event({ type: 'receive', barcode: stack.current.fixture.skus[0]!, location: stack.current.fixture.locations[0]!, qty, ...more })

describe('item 6: 300 KB and 1 MB payloads', () => {
  it('are rejected while another device scans on unaffected', async () => {
    const s = stack.current
    await s.startHub()
    const [big, honest] = await Promise.all([connect(s.fixture.devices[0]!), connect(s.fixture.devices[1]!)])
    const sizes = [...Array(byProfile({ ci: 4, full: 10 })).fill(300 * 1024), ...Array(byProfile({ ci: 2, full: 5 })).fill(1024 * 1024)]
    const payloads = sizes.map((n: number) => ({ ...receipt(big), reason: randomBytes(n / 2).toString('hex') }))
    const mine = Array.from({ length: 40 }, () => receipt(honest))
    const started = Date.now()
    const [answers] = await Promise.all([answersTo(big, payloads), Promise.all(mine.map((e) => honest.publish(e)))])
    await honest.waitFor((acks) => acks.length >= mine.length)
    countBadInputs(6, payloads.length)
    expect(answers.map((a) => a.code)).toEqual(sizes.map(() => 'PAYLOAD_TOO_LARGE'))
    expect(honest.acks.map((a) => a.status)).toEqual(mine.map(() => 'applied'))
    console.log(`item 6: ${payloads.length} oversized payloads refused; 40 scans of another device answered in ${Date.now() - started} ms`)
    await Promise.all([big.close(), honest.close()])
    expect(await checkAll(s, { item: 6 })).toEqual([])
  })
})

describe("item 7: a device publishing on another's topic, taking its client id, or signing wrongly", () => {
  it('is refused each time, and the other device loses nothing', async () => {
    const s = stack.current
    const [a, b] = await Promise.all([connect(s.fixture.devices[0]!), connect(s.fixture.devices[1]!)])
    const { client: scanner, outcomes } = await s.scanners.start(s.fixture.devices[2]!, { ackTimeoutMs: 1000, maxBackoffMs: 2000 })
    const before = await s.inspect.levels()
    const forgeries: [string, () => Promise<unknown>][] = []
    for (let i = 0; i < byProfile({ ci: 3, full: 10 }); i++)
      forgeries.push(
        ['own name on B', () => answersTo(a, [receipt(a, 50)], { topicDevice: b.deviceId, listener: b })],
        [
          "B's name on B, A's secret",
          () => answersTo(a, [{ ...receipt(b, 50), deviceId: b.deviceId }], { topicDevice: b.deviceId, listener: b }),
        ],
        ['B unsigned', () => answersTo(a, [receipt(b, 50)], { topicDevice: b.deviceId, listener: b, sign: false })],
        ['a wrong secret', () => answersTo(a, [receipt(a, 50)], { sign: 'not the secret' })],
        [
          "B's signature on another event",
          () => answersTo(a, [{ ...receipt(b, 50), signature: 'ab'.repeat(32) }], { topicDevice: b.deviceId, listener: b, sign: false }),
        ],
      )
    const scans = []
    for (const [k, [, forge]] of forgeries.entries()) {
      const answer = (await forge()) as { eventId: string | null; status: string; code: string }[]
      expect(answer[0]).toMatchObject({ eventId: null, status: 'rejected' })
      scans.push(await scanner.scan({ type: 'receive', barcode: s.fixture.skus[1]!, location: s.fixture.locations[0]!, qty: 1 }))
      if (k % 5 === 0) {
        // Its client id taken: the broker drops the scanner, which comes back and resends.
        const thief = await mqtt.connectAsync(s.broker.url, {
          protocolVersion: 5,
          clientId: s.scanners.clientId(s.fixture.devices[2]!),
          reconnectPeriod: 0,
        })
        await thief.endAsync(true)
        countFault(7, 'client id taken over')
      }
    }
    countBadInputs(7, forgeries.length)
    const deadline = Date.now() + 30_000
    while (outcomes.length < scans.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(outcomes.map((o) => o.ack.settledAs ?? o.ack.status)).toEqual(scans.map(() => 'applied'))
    const after = new Map((await s.inspect.levels()).map((l) => [`${l.sku}@${l.location}`, l.onHand]))
    for (const l of before) if (l.sku !== s.fixture.skus[1]) expect(after.get(`${l.sku}@${l.location}`)).toBe(l.onHand)
    expect(after.get(`${s.fixture.skus[1]}@${s.fixture.locations[0]}`)).toBe(scans.length)
    await Promise.all([a.close(), b.close()])
    expect(await checkAll(s, { item: 7 })).toEqual([])
  })
})
