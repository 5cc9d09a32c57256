import type { ScanEvent } from '@wh/shared'
import { OUTBOX_DEFAULTS, OutboxFullError, type OutboxLimits } from './outbox.ts'

/** An acknowledged event kept in history, and when its ack came (unix ms). */
export interface SettledEvent {
  event: ScanEvent
  ackedAt: number
}

/**
 * What every outbox keeps in memory, wherever it stores events: the pending ones by id in
 * deviceSeq order, the history of acknowledged ones in ack order, and the next deviceSeq. The
 * state changes are here, once; each kind of outbox makes them durable its own way (`store*`).
 */
export abstract class HeldEvents {
  protected readonly pending = new Map<string, ScanEvent>()
  /** Earliest ack first, so the window and the cap drop from the front. */
  protected readonly history = new Map<string, SettledEvent>()
  /** Pending events brought back from history. */
  protected readonly reopened = new Set<string>()
  protected nextSeq = 1
  protected readonly limits: Required<OutboxLimits>

  constructor(limits: OutboxLimits = {}) {
    this.limits = { ...OUTBOX_DEFAULTS, ...limits }
  }

  events(): ScanEvent[] {
    return [...this.pending.values()]
  }

  get(eventId: string): ScanEvent | undefined {
    return this.pending.get(eventId)
  }

  get size(): number {
    return this.pending.size
  }

  get historySize(): number {
    return this.history.size
  }

  settledBefore(eventId: string): boolean {
    return this.reopened.has(eventId)
  }

  async ack(eventId: string): Promise<boolean> {
    const ackedAt = this.limits.now()
    const event = this.settle(eventId, ackedAt)
    if (!event) return false
    await this.storeAck(event, ackedAt, this.trim(ackedAt))
    return true
  }

  async reopen(after: number): Promise<ScanEvent[]> {
    const back = [...this.history.values()].filter((s) => s.event.deviceSeq > after).map((s) => s.event)
    if (back.length > 0) {
      this.revive(back.map((e) => e.eventId))
      await this.storeReopen(back)
    }
    return this.events().filter((e) => e.deviceSeq > after)
  }

  /** Makes an ack durable: `event` is in history now, `dropped` (ids) left it. */
  protected abstract storeAck(event: ScanEvent, ackedAt: number, dropped: string[]): Promise<void>
  /** Makes a reopen durable: these history events are pending again. */
  protected abstract storeReopen(events: ScanEvent[]): Promise<void>

  /**
   * The event built with the next deviceSeq, held in memory. The number is taken only once the
   * event is built, so a scan refused by validation leaves no gap the hub would wait out.
   */
  protected admit(build: (deviceSeq: number) => ScanEvent): ScanEvent {
    // Events a sync brought back do not count: history has its own cap, and a large resync must not stop scanning.
    if (this.pending.size - this.reopened.size >= this.limits.maxPending) throw new OutboxFullError(this.limits.maxPending)
    const event = build(this.nextSeq)
    this.nextSeq = event.deviceSeq + 1
    this.pending.set(event.eventId, event)
    return event
  }

  /** Moves a pending event to history; the event, or undefined when it was not pending. */
  protected settle(eventId: string, ackedAt: number): ScanEvent | undefined {
    const event = this.pending.get(eventId)
    if (!event) return undefined
    this.pending.delete(eventId)
    this.reopened.delete(eventId)
    this.history.set(eventId, { event, ackedAt })
    return event
  }

  /** Drops what is past the window or the cap, earliest ack first; returns the ids dropped. */
  protected trim(now: number): string[] {
    const dropped: string[] = []
    const windowStart = now - this.limits.historyMs
    for (const [eventId, { ackedAt }] of this.history) {
      if (this.history.size - dropped.length <= this.limits.maxHistory && ackedAt >= windowStart) break
      dropped.push(eventId)
    }
    for (const eventId of dropped) this.history.delete(eventId)
    return dropped
  }

  /** Makes these events pending again (from history, or marks pending ones), in deviceSeq order. */
  protected revive(eventIds: Iterable<string>): void {
    for (const eventId of eventIds) {
      const kept = this.history.get(eventId)
      if (kept) {
        this.history.delete(eventId)
        this.pending.set(eventId, kept.event)
      }
      if (this.pending.has(eventId)) this.reopened.add(eventId)
    }
    const ordered = [...this.pending.values()].sort((a, b) => a.deviceSeq - b.deviceSeq)
    this.pending.clear()
    for (const e of ordered) this.pending.set(e.eventId, e)
  }
}
