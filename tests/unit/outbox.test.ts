import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { OutboxFile } from '../../devices/src/outbox/outbox-file.ts'
import { OutboxFullError } from '../../devices/src/outbox/outbox.ts'

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
    expect((await OutboxFile.open(path)).events()).toHaveLength(2)
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
    const outbox = await OutboxFile.open(path, { compactAfter: 50 })
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
