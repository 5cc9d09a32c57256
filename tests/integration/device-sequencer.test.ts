import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from 'redis'
import { createDeviceSequencer } from '../../hub/src/sequence/device-sequencer.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const env = createTestEnv('sequencer')
const redis = createClient({ url: env.urls.redis })
const prefix = env.env.REDIS_PREFIX!
const WAIT = 1000
let clock = 1_000_000
const sequencer = createDeviceSequencer(
  redis,
  prefix,
  async () => 0,
  () => clock,
)
const entry = (deviceId: string, deviceSeq: number) => ({ deviceId, deviceSeq, partition: 0, item: `${deviceId}#${deviceSeq}` })
const inbox = async () => redis.lRange(`${prefix}:inbox:0`, 0, -1)

beforeAll(() => redis.connect())
afterAll(async () => {
  await redis.close()
  await env.cleanup()
})

describe("the device sequencer's gap wait", () => {
  it('lets no event wait longer than the gap wait from its own arrival, however many gaps precede it', async () => {
    // Five events of one device, each after a seq that never comes (lost or too broken to parse).
    await sequencer.admit([2, 4, 6, 8, 10].map((seq) => entry('D1', seq)))
    expect(await inbox()).toEqual([])

    clock += WAIT / 2
    await sequencer.admit([entry('D1', 12)])
    clock += WAIT / 2 + 1
    // The first five have waited their time: all go at once, each gap reported.
    const first = await sequencer.releaseGaps(WAIT)
    expect(first.gaps).toEqual([1, 3, 5, 7, 9].map((seq) => ({ deviceId: 'D1', from: seq, to: seq })))
    expect(await inbox()).toEqual(['D1#2', 'D1#4', 'D1#6', 'D1#8', 'D1#10'])

    // The sixth arrived later: it waits its own time, and no longer.
    clock += WAIT / 2 - 2
    expect((await sequencer.releaseGaps(WAIT)).gaps).toEqual([])
    clock += 2
    expect((await sequencer.releaseGaps(WAIT)).gaps).toEqual([{ deviceId: 'D1', from: 11, to: 11 }])
    expect((await inbox()).at(-1)).toBe('D1#12')
    expect(await redis.exists(`${prefix}:seq:arrived:D1`)).toBe(0)
  })

  it('still admits a filled gap at once, in order', async () => {
    await sequencer.admit([entry('D2', 2), entry('D2', 3)])
    await sequencer.admit([entry('D2', 1)])
    expect((await inbox()).filter((i) => i.startsWith('D2'))).toEqual(['D2#1', 'D2#2', 'D2#3'])
  })
})
