import { describe, expect, it } from 'vitest'
import { TestDevice } from '../helpers/test-device.ts'
import { countBadInputs } from './harness/fault-log.ts'
import { testSeed } from './harness/fault-test.ts'
import { byProfile } from './harness/profile.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { rssBytes } from './inputs/hub-heap.ts'
import { generated, handWritten, type BadPayload } from './inputs/malformed-corpus.ts'

// Item 5. One hub, one device sending nothing but bad messages, then a good one.
const stack = useSharedStack({
  label: 'f05bad',
  products: 2,
  locations: 2,
  devices: 2,
})

const MB = 1024 * 1024

describe('item 5: malformed payloads, hand-written and generated', () => {
  it('are each answered rejected, write nothing, and leave the hub alive with flat memory', async () => {
    const s = stack.current
    const seed = testSeed('malformed')
    const hub = await s.startHub()
    const device = await TestDevice.connect(s.env, s.fixture.devices[0]!)
    // Every bad message claims deviceSeq 1, which the first one settles (signed, so its position
    // counts): the schema is under test here, not the sequencer. Unparseable messages settle no
    // position (a forger must not settle one), and each such hole would cost the device a gap wait.
    const next = () => ({
      ...device.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 1 }),
      deviceSeq: 1,
    })
    const corpus = [...handWritten(next, device.secret), ...generated(seed, byProfile({ ci: 300, full: 1000 }), next, device.secret)]
    const distinct = new Set(corpus.map((p) => p.body.toString('base64'))).size

    // Each message gets exactly one answer; one at a time in small batches, so each answer is its own.
    const answers: { payload: BadPayload; status: string; code?: string }[] = []
    const send = async (payloads: BadPayload[], record: boolean) => {
      for (let i = 0; i < payloads.length; i += 50) {
        const batch = payloads.slice(i, i + 50)
        const before = device.acks.length
        await Promise.all(batch.map((p) => device.publish(p.body)))
        const acks = await device.waitFor((a) => a.length >= before + batch.length, 30_000)
        if (record) acks.slice(before).forEach((a, j) => answers.push({ payload: batch[j]!, status: a.status, code: a.code }))
      }
    }
    await device.publish({ ...next(), qty: '1' }) // settles deviceSeq 1
    await device.waitFor((a) => a.length === 1)
    await send(corpus.slice(0, 200), false) // warm-up: memory is measured after it
    const heapBefore = await rssBytes(hub.child.pid!)
    await send(corpus, true)
    await send(corpus, false)
    const heapAfter = await rssBytes(hub.child.pid!)
    countBadInputs(5, distinct)
    console.log(
      `item 5: ${distinct} distinct bad messages, sent ${corpus.length * 2 + 201} times; codes ${JSON.stringify(count(answers.map((a) => a.code ?? a.status)))}; hub RSS ${(heapBefore / MB).toFixed(1)} -> ${(heapAfter / MB).toFixed(1)} MB`,
    )

    expect(answers.filter((a) => a.status !== 'rejected').map((a) => a.payload.name)).toEqual([])
    expect(device.acks.length).toBe(corpus.length * 2 + 201)
    for (const table of ['stock_movements', 'stock_levels', 'held_events', 'lots'])
      expect(await s.inspect.rows(`SELECT * FROM ${table}`), table).toEqual([])
    // Flat: the memory the hub holds after two passes over the corpus is about what it held before.
    expect(heapAfter - heapBefore).toBeLessThan(40 * MB)

    // Alive, for the sender and for another device.
    const other = await TestDevice.connect(s.env, s.fixture.devices[1]!)
    const good = other.event({ type: 'receive', barcode: s.fixture.skus[0]!, location: s.fixture.locations[0]!, qty: 1 })
    await other.publish(good)
    expect((await other.waitFor((a) => a.length > 0, 10_000))[0]).toMatchObject({ eventId: good.eventId, status: 'applied', onHand: 1 })
    const mine = { ...next(), deviceSeq: 2 }
    await device.publish(mine)
    const [ack] = (await device.waitFor((a) => a.some((x) => x.eventId === mine.eventId), 10_000)).filter((a) => a.eventId === mine.eventId)
    expect(ack).toMatchObject({ status: 'applied', onHand: 2 })
    await Promise.all([device.close(), other.close()])
    expect(await checkAll(s, { item: 5 })).toEqual([])
  })
})

function count(values: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of values) out[v] = (out[v] ?? 0) + 1
  return out
}
