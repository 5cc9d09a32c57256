import type { IDBPTransaction } from 'idb'
import type { ScanEvent } from '@wh/shared'
import { HeldEvents, type Outbox, type OutboxLimits, type RecoveryReport, type SettledEvent } from '@wh/devices/browser'
import { STRICT, deviceRange, openHandheldDb, type HandheldDb, type HandheldSchema } from './handheld-db.ts'

const seqKey = (deviceId: string) => `nextSeq/${deviceId}`
const STORES: ('events' | 'settled' | 'meta')[] = ['events', 'settled', 'meta']
type OutboxTx = IDBPTransaction<HandheldSchema, typeof STORES, 'readwrite'>

/**
 * The browser's durable outbox (what OutboxFile is in Node): each scan is in IndexedDB, written
 * with strict durability, before `add` resolves; its ack moves it to the history store, kept for
 * the history window. Everything is loaded into memory on open, because ScannerClient reads
 * `events()` synchronously.
 */
export class IdbOutbox extends HeldEvents implements Outbox {
  readonly recovery: RecoveryReport = { droppedBytes: 0 }

  /** Changes waiting for the next transaction. */
  private writes: { apply: (tx: OutboxTx) => Promise<unknown>[]; done: (err?: unknown) => void }[] = []
  private flushing: Promise<void> | undefined

  private constructor(
    private readonly db: HandheldDb,
    private readonly deviceId: string,
    limits: OutboxLimits,
  ) {
    super(limits)
  }

  static async open(deviceId: string, limits: OutboxLimits = {}): Promise<IdbOutbox> {
    const db = await openHandheldDb()
    const tx = db.transaction(STORES, 'readonly')
    const [events, settled, storedSeq] = await Promise.all([
      tx.objectStore('events').index('byDevice').getAll(deviceRange(deviceId)),
      tx.objectStore('settled').index('byDevice').getAll(deviceRange(deviceId)),
      tx.objectStore('meta').get(seqKey(deviceId)) as Promise<number | undefined>,
    ])
    const outbox = new IdbOutbox(db, deviceId, limits)
    outbox.load(events, settled, storedSeq ?? 1)
    const dropped = outbox.trim(outbox.limits.now())
    if (dropped.length > 0) await outbox.write((w) => dropped.map((eventId) => w.objectStore('settled').delete(eventId)))
    return outbox
  }

  /** An event in both stores was brought back from history by a sync: pending, settled before. */
  private load(events: ScanEvent[], settled: SettledEvent[], storedSeq: number) {
    for (const e of events) this.pending.set(e.eventId, e)
    for (const s of settled.sort((a, b) => a.ackedAt - b.ackedAt))
      if (!this.pending.has(s.event.eventId)) this.history.set(s.event.eventId, s)
    this.revive(settled.map((s) => s.event.eventId).filter((eventId) => this.pending.has(eventId)))
    const lastSeq = [...events, ...settled.map((s) => s.event)].reduce((max, e) => Math.max(max, e.deviceSeq), 0)
    this.nextSeq = Math.max(storedSeq, lastSeq + 1)
  }

  async add(build: (deviceSeq: number) => ScanEvent): Promise<ScanEvent> {
    const event = this.admit(build)
    const next = this.nextSeq
    try {
      // The next deviceSeq is kept too: once every event has left history, a reload must not start again at 1.
      await this.write((tx) => [tx.objectStore('events').put(event), tx.objectStore('meta').put(next, seqKey(this.deviceId))])
    } catch (err) {
      this.pending.delete(event.eventId)
      throw err
    }
    return event
  }

  protected storeAck(event: ScanEvent, ackedAt: number, dropped: string[]): Promise<void> {
    return this.write((tx) => [
      tx.objectStore('events').delete(event.eventId),
      tx.objectStore('settled').put({ event, ackedAt }),
      ...dropped.map((eventId) => tx.objectStore('settled').delete(eventId)),
    ])
  }

  /** Pending again, and still in `settled`: that is how a reload knows they were settled before. */
  protected storeReopen(events: ScanEvent[]): Promise<void> {
    return this.write((tx) => events.map((e) => tx.objectStore('events').put(e)))
  }

  /**
   * Changes that arrive while one is being written share the next transaction: one strict
   * (flushed) write for a burst of scans and acks rather than one each, as the file outbox's group
   * commit; applied in the order made, so an ack and a reopen of one event land as they happened.
   */
  private write(apply: (tx: OutboxTx) => Promise<unknown>[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writes.push({ apply, done: (err) => (err ? reject(err) : resolve()) })
      this.flushing ??= this.flush()
    })
  }

  private async flush() {
    while (this.writes.length > 0) {
      const batch = this.writes.splice(0)
      try {
        const tx = this.db.transaction(STORES, 'readwrite', STRICT)
        await Promise.all([...batch.flatMap((w) => w.apply(tx)), tx.done])
        batch.forEach((w) => w.done())
      } catch (err) {
        batch.forEach((w) => w.done(err))
      }
    }
    this.flushing = undefined
  }

  /** The database stays open: setup, outcomes and the API cache share it. */
  async close(): Promise<void> {
    await this.flushing
  }
}
