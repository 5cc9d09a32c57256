import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from 'redis'
import { createDeviceSequencer } from '../../hub/src/sequence/device-sequencer.ts'
import { openDrainWake, type DrainWake } from '../../hub/src/partition/drain-wake.ts'
import { createPartitionInbox } from '../../hub/src/partition/partition-inbox.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const env = createTestEnv('linger')
const redis = createClient({ url: env.urls.redis })
const prefix = env.env.REDIS_PREFIX!
const inbox = createPartitionInbox(redis, prefix)
const sequencer = createDeviceSequencer(redis, prefix, async () => 0)
let wake: DrainWake
let seq = 0
/** The next event of device D1 for partition `p`: returns the partitions that need a drain job. */
const admit = async (p: number) => (await sequencer.admit([{ deviceId: 'D1', deviceSeq: ++seq, partition: p, item: `e${seq}` }])).partitions
/** Reads and removes everything queued for partition `p`, as a drain's step does; then optionally listens. */
const drainAll = async (p: number, listenMs = 0) => inbox.advance(p, await inbox.advance(p, [], 1000), 1000, listenMs)

beforeAll(async () => {
  await redis.connect()
  wake = await openDrainWake(redis, inbox.wakeChannel, (err) => {
    throw err
  })
})
afterAll(async () => {
  await wake.close()
  await redis.close()
  await env.cleanup()
})

describe('a drain listening for its partition', () => {
  it('is woken by new events instead of a drain job being asked for', async () => {
    expect(await admit(0)).toEqual([0])
    // Events are waiting: a read that finds them does not listen (they are applied first).
    expect(await inbox.advance(0, [], 1000, 5000)).toHaveLength(1)
    expect(await admit(0)).toEqual([0])

    const ticket = wake.ticket(0)
    // The step that trims the applied events finds none left and listens.
    expect(await drainAll(0, 5000)).toEqual([])
    const woken = wake.wait(0, ticket, 5000)
    const started = performance.now()
    expect(await admit(0)).toEqual([])
    expect(await woken).toBe(true)
    expect(performance.now() - started).toBeLessThan(2000)
    // Another partition has no listener: its events still get a drain job.
    expect(await admit(1)).toEqual([1])
  })

  it('may stop listening only with nothing waiting, so no event is left without a drain', async () => {
    await drainAll(0, 5000)
    await admit(0)
    expect(await inbox.unlisten(0)).toBe(false)
    await drainAll(0)
    expect(await inbox.unlisten(0)).toBe(true)
    expect(await admit(0)).toEqual([0])
  })

  it('is not missed by an announcement that came before the wait began', async () => {
    const ticket = wake.ticket(0)
    await drainAll(0, 5000)
    await admit(0)
    await expect.poll(() => wake.ticket(0)).not.toBe(ticket)
    const started = performance.now()
    expect(await wake.wait(0, ticket, 5000)).toBe(true)
    expect(performance.now() - started).toBeLessThan(50)
  })

  it('ends its wait after the timeout, and its mark expires if it dies listening', async () => {
    await drainAll(0)
    await inbox.unlisten(0)
    expect(await wake.wait(0, wake.ticket(0), 100)).toBe(false)
    expect(await inbox.advance(0, [], 1000, 200)).toEqual([])
    expect(await admit(0)).toEqual([])
    await new Promise((r) => setTimeout(r, 300))
    expect(await admit(0)).toEqual([0])
  })
})

describe("a drain's step", () => {
  it('removes only the batch it applied, and nothing when another run of its job has moved the head on', async () => {
    await drainAll(1)
    for (let i = 0; i < 4; i++) await admit(1)
    const first = await inbox.advance(1, [], 2)
    // A re-run of the same job (a lapsed lock) applied and trimmed those two already.
    const next = await inbox.advance(1, first, 2)
    expect(next).toHaveLength(2)
    expect(next).not.toEqual(first)
    // The first run's late step finds another head: it trims nothing and reads what is there.
    expect(await inbox.advance(1, first, 10)).toEqual(next)
    expect(await inbox.advance(1, next, 10)).toEqual([])
  })
})

describe('trusted events (an import)', () => {
  it('go straight into their inboxes, in order, and are known applied once the drains trimmed past them', async () => {
    await drainAll(2)
    await drainAll(3)
    await admit(2) // a scan already waiting in partition 2
    const { positions, partitions } = await inbox.pushTrusted([
      [2, 'i1'],
      [3, 'i2'],
      [2, 'i3'],
    ])
    expect(partitions.sort()).toEqual([2, 3])
    const before = await inbox.through([2, 3])
    // A position counts every item ever pushed to the partition; none of these is applied yet.
    expect(before.get(2)!.pushed).toBe(positions.get(2))
    expect(before.get(2)!.trimmed).toBeLessThan(positions.get(2)!)
    const batch = await inbox.advance(2, [], 1000)
    expect(batch.slice(-2)).toEqual(['i1', 'i3'])
    expect((await inbox.through([2])).get(2)!.trimmed).toBeLessThan(positions.get(2)!)
    await inbox.advance(2, batch, 1000)
    await drainAll(3)
    const after = await inbox.through([2, 3])
    expect(after.get(2)!.trimmed).toBe(positions.get(2))
    expect(after.get(3)!.trimmed).toBe(positions.get(3))
  })
})
