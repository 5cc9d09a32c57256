import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { MemoryOutbox } from '../../devices/src/outbox/memory-outbox.ts'
import { OutboxFile } from '../../devices/src/outbox/outbox-file.ts'
import { OutboxFullError, type Outbox, type OutboxLimits } from '../../devices/src/outbox/outbox.ts'

let dir: string
let path: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-test-'))
  path = join(dir, 'D1.outbox')
})
afterEach(() => rm(dir, { recursive: true, force: true }))

let n = 0
const event = (deviceSeq: number): ScanEvent => ({
  eventId: `0192f3a0-7c1e-7000-8000-${String(++n).padStart(12, '0')}`,
  deviceId: 'D1',
  deviceSeq,
  type: 'receive',
  barcode: 'SKU-1',
  location: 'A-01',
  qty: 1,
})

describe('OutboxFile', () => {
  it('gives a scan refused while it is built no deviceSeq, so the hub never waits for a gap', async () => {
    const outbox = await OutboxFile.open(path)
    await expect(
      outbox.add(() => {
        throw new Error('refused by the schema')
      }),
    ).rejects.toThrow('refused by the schema')
    expect((await outbox.add(event)).deviceSeq).toBe(1)
    expect(outbox.size).toBe(1)
    await outbox.close()
  })

  it('keeps unacknowledged events and the sequence across a reopen', async () => {
    const outbox = await OutboxFile.open(path)
    const [a, b, c] = [await outbox.add(event), await outbox.add(event), await outbox.add(event)]
    expect([a, b, c].map((e) => e.deviceSeq)).toEqual([1, 2, 3])
    expect(await outbox.ack(b.eventId)).toBe(true)
    expect(await outbox.ack(b.eventId)).toBe(false)
    await outbox.close()

    const reopened = await OutboxFile.open(path)
    expect(reopened.events().map((e) => e.eventId)).toEqual([a.eventId, c.eventId])
    expect((await reopened.add(event)).deviceSeq).toBe(4)
    expect(reopened.recovery).toEqual({ droppedBytes: 0 })
    await reopened.close()
  })

  it('recovers up to the last good record after a torn write, keeping the damaged tail aside', async () => {
    const outbox = await OutboxFile.open(path)
    const kept = await outbox.add(event)
    await outbox.close()
    await appendFile(path, '0123456789abcdef\t{"op":"add","event":{"eventId":"x"') // a crash mid-write

    const reopened = await OutboxFile.open(path)
    expect(reopened.events()).toEqual([kept])
    expect(reopened.recovery.droppedBytes).toBeGreaterThan(0)
    expect(await readFile(reopened.recovery.keptAside!, 'utf8')).toContain('"eventId":"x"')
    // The log is usable again: new records land after the last good one.
    await reopened.add(event)
    await reopened.close()
    const again = await OutboxFile.open(path)
    expect(again.events()).toHaveLength(2)
    await again.close()
  })

  it('stops at a record whose bytes changed, setting it and everything after it aside', async () => {
    const outbox = await OutboxFile.open(path)
    const first = await outbox.add(event)
    await outbox.add(event)
    await outbox.add(event)
    await outbox.close()
    const lines = (await readFile(path, 'utf8')).split('\n')
    lines[1] = lines[1]!.replace('"qty":1', '"qty":9')
    await writeFile(path, lines.join('\n'))

    const reopened = await OutboxFile.open(path)
    expect(reopened.events()).toEqual([first])
    expect((await readFile(reopened.recovery.keptAside!, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2)
    await reopened.close()
  })

  it('refuses new events past its limit with a clear error, and accepts them again after acks', async () => {
    const outbox = await OutboxFile.open(path, { maxPending: 2 })
    const first = await outbox.add(event)
    await outbox.add(event)
    await expect(outbox.add(event)).rejects.toThrow(OutboxFullError)
    await expect(outbox.add(event)).rejects.toThrow(/holds 2 unacknowledged events/)
    await outbox.ack(first.eventId)
    expect((await outbox.add(event)).deviceSeq).toBe(3)
    await outbox.close()
  })

  it('compacts settled records away without losing pending events or the sequence', async () => {
    const outbox = await OutboxFile.open(path, { compactAfter: 50, maxHistory: 0 })
    const keep = await outbox.add(event)
    for (let i = 0; i < 200; i++) await outbox.ack((await outbox.add(event)).eventId)
    await outbox.close()
    expect((await stat(path)).size).toBeLessThan(100 * 300)

    const reopened = await OutboxFile.open(path)
    expect(reopened.events()).toEqual([keep])
    expect((await reopened.add(event)).deviceSeq).toBe(202)
    await reopened.close()
  })

  it('puts scans that arrive together on disk with one shared sync, in order', async () => {
    const outbox = await OutboxFile.open(path)
    const added = await Promise.all(Array.from({ length: 50 }, () => outbox.add(event)))
    expect(added.map((e) => e.deviceSeq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    await outbox.close()
    expect((await OutboxFile.open(path)).events().map((e) => e.deviceSeq)).toEqual(added.map((e) => e.deviceSeq))
  })
})

const HOUR = 60 * 60 * 1000
/** A clock the test moves by hand. */
const manualClock = () => {
  const clock = { at: Date.UTC(2026, 0, 5, 8), now: () => clock.at }
  return clock
}
const seqs = (events: ScanEvent[]) => events.map((e) => e.deviceSeq)
/** Adds events 1..n and acknowledges those listed, in the order listed. */
async function addAndAck(outbox: Outbox, n: number, acked: number[]) {
  const added: ScanEvent[] = []
  for (let i = 0; i < n; i++) added.push(await outbox.add(event))
  for (const seq of acked) expect(await outbox.ack(added[seq - 1]!.eventId)).toBe(true)
  return added
}

describe.each([
  ['OutboxFile', (limits: OutboxLimits) => OutboxFile.open(path, limits)],
  ['MemoryOutbox', async (limits: OutboxLimits) => new MemoryOutbox(limits)],
] as const)('%s history', (_name, openOutbox) => {
  it('keeps acknowledged events out of the pending ones, and brings back those above a point in deviceSeq order', async () => {
    const outbox = await openOutbox({})
    const added = await addAndAck(outbox, 6, [2, 1, 4, 3, 6])
    expect(seqs(outbox.events())).toEqual([5])
    expect([outbox.size, outbox.historySize]).toEqual([1, 5])

    const back = await outbox.reopen(2)
    expect(seqs(back)).toEqual([3, 4, 5, 6])
    expect(seqs(outbox.events())).toEqual([3, 4, 5, 6])
    expect([outbox.size, outbox.historySize]).toEqual([4, 2])
    // 5 was never acknowledged: its first ack is still to come.
    expect(added.map((e) => outbox.settledBefore(e.eventId))).toEqual([false, false, true, true, false, true])

    expect(await outbox.ack(added[3]!.eventId)).toBe(true)
    expect(outbox.settledBefore(added[3]!.eventId)).toBe(false)
    expect(seqs(await outbox.reopen(6))).toEqual([])
    await outbox.close()
  })

  it('forgets acknowledged events once their window has passed', async () => {
    const clock = manualClock()
    const outbox = await openOutbox({ historyMs: 24 * HOUR, now: clock.now })
    await addAndAck(outbox, 3, [1, 2])
    clock.at += 23 * HOUR
    const later = await outbox.add(event)
    await outbox.ack(later.eventId)
    expect(outbox.historySize).toBe(3)

    clock.at += 2 * HOUR
    const last = await outbox.add(event)
    await outbox.ack(last.eventId)
    // 1 and 2 were acknowledged 25 h ago; the pending 3 is never dropped.
    expect(outbox.historySize).toBe(2)
    expect(seqs(await outbox.reopen(0))).toEqual([3, 4, 5])
    await outbox.close()
  })

  it('takes new scans while events brought back wait, up to its limit of new ones', async () => {
    const outbox = await openOutbox({ maxPending: 2 })
    for (let i = 0; i < 3; i++) await outbox.ack((await outbox.add(event)).eventId)
    expect(seqs(await outbox.reopen(0))).toEqual([1, 2, 3])
    await outbox.add(event)
    await outbox.add(event)
    await expect(outbox.add(event)).rejects.toThrow(OutboxFullError)
    expect(outbox.size).toBe(5)
    await outbox.close()
  })

  it('keeps at most its cap of acknowledged events, dropping the earliest acknowledged', async () => {
    const outbox = await openOutbox({ maxHistory: 3 })
    await addAndAck(outbox, 7, [1, 2, 3, 5, 4, 6])
    expect(outbox.historySize).toBe(3)
    expect(seqs(await outbox.reopen(0))).toEqual([4, 5, 6, 7])
    await outbox.close()
  })
})

describe('OutboxFile history on disk', () => {
  it('keeps history, and events brought back, across a reopen', async () => {
    const outbox = await OutboxFile.open(path)
    const added = await addAndAck(outbox, 4, [1, 2, 3])
    await outbox.close()

    const again = await OutboxFile.open(path)
    expect([again.size, again.historySize]).toEqual([1, 3])
    expect(seqs(await again.reopen(1))).toEqual([2, 3, 4])
    // A crash now, before any resend is acknowledged: nothing is lost, and they are still known as settled before.
    await again.close()

    const afterCrash = await OutboxFile.open(path)
    expect(seqs(afterCrash.events())).toEqual([2, 3, 4])
    expect(added.map((e) => afterCrash.settledBefore(e.eventId))).toEqual([false, true, true, false])
    expect((await afterCrash.add(event)).deviceSeq).toBe(5)
    await afterCrash.close()
  })

  it('applies the window to what it reads back', async () => {
    const clock = manualClock()
    const outbox = await OutboxFile.open(path, { now: clock.now })
    await addAndAck(outbox, 2, [1, 2])
    await outbox.close()
    clock.at += 25 * HOUR
    const reopened = await OutboxFile.open(path, { now: clock.now })
    expect([reopened.size, reopened.historySize]).toEqual([0, 0])
    expect((await reopened.add(event)).deviceSeq).toBe(3)
    await reopened.close()
  })

  it('keeps history, the events brought back and the sequence through compaction, and stays bounded', async () => {
    const outbox = await OutboxFile.open(path, { compactAfter: 20, maxHistory: 30 })
    // In rounds of ten, which share their syncs (a sync each would take seconds).
    const scanAndAck = async (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        const added = await Promise.all(Array.from({ length: 10 }, () => outbox.add(event)))
        await Promise.all(added.map((e) => outbox.ack(e.eventId)))
      }
    }
    await scanAndAck(30)
    expect(seqs(await outbox.reopen(295))).toEqual([296, 297, 298, 299, 300])
    // Enough acks to compact again while those five wait for theirs.
    await scanAndAck(10)
    await outbox.close()
    // A compacted log: the sequence, 30 events of history (add and ack each), 5 pending and their reopen, and the records since.
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
    expect(lines.length).toBeLessThan(200)

    const reopened = await OutboxFile.open(path, { maxHistory: 30 })
    expect(reopened.historySize).toBe(30)
    expect(seqs(reopened.events())).toEqual([296, 297, 298, 299, 300])
    expect(reopened.events().every((e) => reopened.settledBefore(e.eventId))).toBe(true)
    const last10 = Array.from({ length: 10 }, (_, i) => 391 + i)
    expect(seqs(await reopened.reopen(390))).toEqual(last10)
    expect(seqs(reopened.events())).toEqual([296, 297, 298, 299, 300, ...last10])
    expect((await reopened.add(event)).deviceSeq).toBe(401)
    await reopened.close()
  })

  it('reads a log written before history existed: its acknowledged events are not kept', async () => {
    const { encodeRecord } = await import('../../devices/src/outbox/outbox-record.ts')
    const [a, b] = [event(1), event(2)]
    await writeFile(
      path,
      [encodeRecord({ op: 'add', event: a }), encodeRecord({ op: 'add', event: b }), encodeRecord({ op: 'ack', eventId: a.eventId })].join(
        '',
      ),
    )
    const outbox = await OutboxFile.open(path)
    expect(outbox.events()).toEqual([b])
    expect(outbox.historySize).toBe(0)
    expect(outbox.recovery).toEqual({ droppedBytes: 0 })
    await outbox.close()
  })
})
