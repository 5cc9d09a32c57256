import type { ScanEvent } from '@wh/shared'
import { PendingEvents, type Outbox, type RecoveryReport } from '@wh/devices/browser'
import { STRICT, deviceRange, openHandheldDb, type HandheldDb } from './handheld-db.ts'

const seqKey = (deviceId: string) => `nextSeq/${deviceId}`

/**
 * The browser's durable outbox (what OutboxFile is in Node): each scan is in IndexedDB, written
 * with strict durability, before `add` resolves, and leaves only when the hub's ack names it.
 * Everything is loaded into memory on open, because ScannerClient reads `events()` synchronously.
 */
export class IdbOutbox extends PendingEvents implements Outbox {
  readonly recovery: RecoveryReport = { droppedBytes: 0 }

  /** Acknowledged events whose deletion is waiting for the next transaction. */
  private deleting: { eventId: string; done: (err?: unknown) => void }[] = []
  private flushing: Promise<void> | undefined

  private constructor(
    private readonly db: HandheldDb,
    private readonly deviceId: string,
    kept: ScanEvent[],
    nextSeq: number,
    maxPending: number,
  ) {
    super(maxPending)
    for (const e of kept) this.pending.set(e.eventId, e)
    this.nextSeq = nextSeq
  }

  static async open(deviceId: string, { maxPending = 10_000 } = {}): Promise<IdbOutbox> {
    const db = await openHandheldDb()
    const tx = db.transaction(['events', 'meta'], 'readonly')
    const [events, storedSeq] = await Promise.all([
      tx.objectStore('events').index('byDevice').getAll(deviceRange(deviceId)),
      tx.objectStore('meta').get(seqKey(deviceId)) as Promise<number | undefined>,
    ])
    const nextSeq = Math.max(storedSeq ?? 1, (events.at(-1)?.deviceSeq ?? 0) + 1)
    return new IdbOutbox(db, deviceId, events, nextSeq, maxPending)
  }

  async add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent> {
    const event = this.admit(build)
    try {
      const tx = this.db.transaction(['events', 'meta'], 'readwrite', STRICT)
      // The next deviceSeq is kept too: once every event is acknowledged and gone, a reload must not start again at 1.
      await Promise.all([tx.objectStore('events').put(event), tx.objectStore('meta').put(this.nextSeq, seqKey(this.deviceId)), tx.done])
    } catch (err) {
      this.pending.delete(event.eventId)
      throw err
    }
    return event
  }

  /** Forgets an acknowledged event; resolves once its deletion is durable. */
  async ack(eventId: string): Promise<boolean> {
    if (!this.pending.delete(eventId)) return false
    await new Promise<void>((resolve, reject) => {
      this.deleting.push({ eventId, done: (err) => (err ? reject(err) : resolve()) })
      this.flushing ??= this.flushDeletes()
    })
    return true
  }

  /**
   * Acks that arrive while a deletion is being written share the next transaction: one strict
   * (flushed) write for a burst of acks rather than one each, as the file outbox's group commit.
   */
  private async flushDeletes() {
    while (this.deleting.length > 0) {
      const batch = this.deleting.splice(0)
      try {
        const tx = this.db.transaction('events', 'readwrite', STRICT)
        await Promise.all([...batch.map((d) => tx.store.delete(d.eventId)), tx.done])
        batch.forEach((d) => d.done())
      } catch (err) {
        batch.forEach((d) => d.done(err))
      }
    }
    this.flushing = undefined
  }

  /** The database stays open: setup, outcomes and the API cache share it. */
  async close(): Promise<void> {}
}
