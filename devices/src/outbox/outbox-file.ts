import { open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ScanEvent } from '@wh/shared'
import { HeldEvents } from './held-events.ts'
import type { Outbox, OutboxLimits, RecoveryReport } from './outbox.ts'
import { decodeRecord, encodeRecord, type OutboxRecord } from './outbox-record.ts'

export interface OutboxOptions extends OutboxLimits {
  /**
   * Rewrite the log once it holds this many records that no longer count (events gone from
   * history, superseded acks), and at least as many as those that do, so a long history is not
   * rewritten for every few events that leave it. @defaultValue 5000
   */
  compactAfter?: number
}

/**
 * The device's durable outbox: an append-only log of `add`, `ack` and `reopen` records, each line
 * carrying a checksum. An event is on disk (fdatasync) before `add` resolves, so a kill -9 at any
 * moment loses nothing that was scanned; appends that arrive together share one sync (group
 * commit). On open, the log is replayed up to the last good record; a torn or corrupt tail is set
 * aside. Acknowledged events stay in the log, as history, for the window the options set.
 */
export class OutboxFile extends HeldEvents implements Outbox {
  /** Records in the file, live or not. */
  private lines = 0
  private queue: { line: string; done: (err?: Error) => void }[] = []
  private flushing: Promise<void> | null = null

  private constructor(
    readonly path: string,
    private file: FileHandle,
    private readonly compactAfter: number,
    limits: OutboxLimits,
    readonly recovery: RecoveryReport,
  ) {
    super(limits)
  }

  static async open(path: string, { compactAfter = 5_000, ...limits }: OutboxOptions = {}): Promise<OutboxFile> {
    const raw = await readFile(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(err)))
    const records: OutboxRecord[] = []
    let good = 0
    for (let start = 0; start < raw.length;) {
      const end = raw.indexOf(0x0a, start)
      const record = end === -1 ? undefined : decodeRecord(raw.subarray(start, end).toString('utf8'))
      if (!record) break
      records.push(record)
      start = good = end + 1
    }
    const recovery: RecoveryReport = { droppedBytes: raw.length - good }
    if (recovery.droppedBytes > 0) {
      recovery.keptAside = `${path}.corrupt-${Date.now()}`
      await writeFile(recovery.keptAside, raw.subarray(good))
      await writeFile(path, raw.subarray(0, good))
    }
    const outbox = new OutboxFile(path, await open(path, 'a'), compactAfter, limits, recovery)
    for (const r of records) outbox.replay(r)
    outbox.lines = records.length
    outbox.trim(outbox.limits.now())
    return outbox
  }

  private replay(record: OutboxRecord) {
    if (record.op === 'seq') this.nextSeq = Math.max(this.nextSeq, record.next)
    else if (record.op === 'add') {
      this.pending.set(record.event.eventId, record.event)
      this.nextSeq = Math.max(this.nextSeq, record.event.deviceSeq + 1)
    } else if (record.op === 'reopen') this.revive(record.eventIds)
    else if (this.settle(record.eventId, record.at ?? 0)) this.trim(record.at ?? 0)
  }

  /** Gives the event its deviceSeq and stores it durably; resolves once it is on disk. */
  async add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent> {
    const event = this.admit(build)
    await this.append({ op: 'add', event })
    return event
  }

  protected storeAck(event: ScanEvent, at: number): Promise<void> {
    return this.append({ op: 'ack', eventId: event.eventId, at })
  }

  protected storeReopen(events: ScanEvent[]): Promise<void> {
    return this.append({ op: 'reopen', eventIds: events.map((e) => e.eventId) })
  }

  async close(): Promise<void> {
    await this.flushing
    await this.file.close()
  }

  private append(record: OutboxRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ line: encodeRecord(record), done: (err) => (err ? reject(err) : resolve()) })
      this.flushing ??= this.flush()
    })
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      try {
        await this.file.write(batch.map((b) => b.line).join(''))
        await this.file.datasync()
        this.lines += batch.length
        // Inside the single flush loop, so no append can reach a file being swapped.
        const live = this.liveCount()
        if (this.lines - live >= Math.max(this.compactAfter, live)) {
          // Records still queued are in memory already, so the rewritten log holds them: they are
          // done when it is (appended after it, a queued add would bring back an event acked since).
          batch.push(...this.queue.splice(0))
          await this.compact()
        }
        batch.forEach((b) => b.done())
      } catch (err) {
        batch.forEach((b) => b.done(err as Error))
      }
    }
    this.flushing = null
  }

  /** What the log would hold if written afresh: the sequence, history (as add and ack), pending. */
  private liveRecords(): OutboxRecord[] {
    const records: OutboxRecord[] = [{ op: 'seq', next: this.nextSeq }]
    for (const { event, ackedAt } of this.history.values())
      records.push({ op: 'add', event }, { op: 'ack', eventId: event.eventId, at: ackedAt })
    for (const event of this.pending.values()) records.push({ op: 'add', event })
    if (this.reopened.size > 0) records.push({ op: 'reopen', eventIds: [...this.reopened] })
    return records
  }

  /** liveRecords().length, counted rather than built: it is checked after every write. */
  private liveCount(): number {
    return 1 + 2 * this.history.size + this.pending.size + (this.reopened.size > 0 ? 1 : 0)
  }

  /** Rewrites the log with only its live records, atomically (write, sync, rename). */
  private async compact(): Promise<void> {
    const tmp = `${this.path}.compact`
    const records = this.liveRecords()
    const handle = await open(tmp, 'w')
    await handle.write(records.map(encodeRecord).join(''))
    await handle.datasync()
    await handle.close()
    await this.file.close()
    await rename(tmp, this.path)
    const dir = await open(dirname(this.path), 'r')
    await dir.sync().finally(() => dir.close())
    this.file = await open(this.path, 'a')
    this.lines = records.length
  }
}
