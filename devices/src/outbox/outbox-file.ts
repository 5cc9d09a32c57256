import { open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ScanEvent } from '@wh/shared'
import { PendingEvents, type Outbox, type RecoveryReport } from './outbox.ts'
import { decodeRecord, encodeRecord, type OutboxRecord } from './outbox-record.ts'

export interface OutboxOptions {
  /** Most unacknowledged events held; `add` refuses more. @defaultValue 10000 */
  maxPending?: number
  /** Rewrite the log when it holds this many settled records. @defaultValue 5000 */
  compactAfter?: number
}

/**
 * The device's durable outbox: an append-only log of `add` and `ack` records, each line carrying
 * a checksum. An event is on disk (fdatasync) before `add` resolves, so a kill -9 at any moment
 * loses nothing that was scanned; appends that arrive together share one sync (group commit).
 * On open, the log is replayed up to the last good record; a torn or corrupt tail is set aside.
 */
export class OutboxFile extends PendingEvents implements Outbox {
  private settled = 0
  private queue: { line: string; done: (err?: Error) => void }[] = []
  private flushing: Promise<void> | null = null

  private constructor(
    readonly path: string,
    private file: FileHandle,
    private readonly options: Required<OutboxOptions>,
    readonly recovery: RecoveryReport,
  ) {
    super(options.maxPending)
  }

  static async open(path: string, options: OutboxOptions = {}): Promise<OutboxFile> {
    const opts = { maxPending: 10_000, compactAfter: 5_000, ...options }
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
    const outbox = new OutboxFile(path, await open(path, 'a'), opts, recovery)
    for (const r of records) outbox.replay(r)
    return outbox
  }

  private replay(record: OutboxRecord) {
    if (record.op === 'seq') this.nextSeq = Math.max(this.nextSeq, record.next)
    else if (record.op === 'add') {
      this.pending.set(record.event.eventId, record.event)
      this.nextSeq = Math.max(this.nextSeq, record.event.deviceSeq + 1)
    } else if (this.pending.delete(record.eventId)) this.settled++
  }

  /** Gives the event its deviceSeq and stores it durably; resolves once it is on disk. */
  async add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent> {
    const event = this.admit(build)
    await this.append({ op: 'add', event })
    return event
  }

  /** Removes an event on its application ack; false when it was not pending (a late copy). */
  async ack(eventId: string): Promise<boolean> {
    if (!this.pending.delete(eventId)) return false
    this.settled++
    await this.append({ op: 'ack', eventId })
    return true
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
        // Inside the single flush loop, so no append can reach a file being swapped.
        if (this.settled >= this.options.compactAfter) await this.compact()
        batch.forEach((b) => b.done())
      } catch (err) {
        batch.forEach((b) => b.done(err as Error))
      }
    }
    this.flushing = null
  }

  /** Rewrites the log with only the pending events, atomically (write, sync, rename). */
  private async compact(): Promise<void> {
    const tmp = `${this.path}.compact`
    const lines = [encodeRecord({ op: 'seq', next: this.nextSeq }), ...this.events().map((event) => encodeRecord({ op: 'add', event }))]
    const handle = await open(tmp, 'w')
    await handle.write(lines.join(''))
    await handle.datasync()
    await handle.close()
    await this.file.close()
    await rename(tmp, this.path)
    const dir = await open(dirname(this.path), 'r')
    await dir.sync().finally(() => dir.close())
    this.file = await open(this.path, 'a')
    this.settled = 0
  }
}
