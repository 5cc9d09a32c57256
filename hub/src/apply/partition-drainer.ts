import { setTimeout as sleep } from 'node:timers/promises'
import type { Log } from '../log.ts'
import type { Ack } from '@wh/shared'
import type { HeldItem } from '@wh/shared/live'
import { isTransientDbError } from '../db/transient-errors.ts'
import type { AckPublisher } from '../acks/ack-publisher.ts'
import type { OutcomeStore } from '../acks/outcome-store.ts'
import type { DrainWake } from '../partition/drain-wake.ts'
import type { PartitionInbox } from '../partition/partition-inbox.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import type { StockPublisher } from '../stock/stock-publisher.ts'
import type { BatchPlan, EventOutcome } from './batch-plan.ts'
import { changedStock } from './changed-stock.ts'
import type { DeviceActivity } from './device-activity.ts'
import type { ApplyOptions, BatchResult, BatchApplier } from './batch-apply.ts'
import { createSetAside } from './set-aside.ts'

export interface DrainerDeps {
  inbox: PartitionInbox
  repository: BatchApplier
  stock: Pick<StockPublisher, 'levels' | 'activity' | 'floor'>
  outcomes: OutcomeStore
  acks: AckPublisher
  activity: DeviceActivity
  /** How many held events await an admin now at each of the sites. */
  pendingHeld: (sites: readonly string[]) => Promise<Map<string, number>>
  wake: Pick<DrainWake, 'ticket' | 'wait'>
  log: Log
  batchMax: number
  /** How long a drain with an empty inbox waits for more events before its job ends. */
  lingerMs: number
  /** Test fault injection: called right after a batch commits. */
  afterCommit?: () => void
  /** Told of each committed batch's outcomes (metrics). */
  committed?: (outcomes: readonly EventOutcome[]) => void
  /** Told of each failed attempt to apply a batch, transient or not (metrics). */
  failed?: (transient: boolean) => void
  /**
   * True once the process is shutting down: stop waiting for the database and let the job retry,
   * and stop after the batch in hand, handing the rest of the inbox to another drain.
   */
  closing: () => boolean
}

const MAX_ROUNDS = 50
/** How much longer than its wait a listening mark lives, so it outlasts the wait's own round trips. */
const LISTEN_MARGIN_MS = 2000

/**
 * Drains one partition's inbox batch by batch. Per batch: one transaction, then (only after the
 * commit) the acks, with the cache and deltas and the outcome records beside them, and last the
 * trim of the inbox, in the same round trip as the read of the next batch. A crash anywhere
 * before the trim replays the batch, which then finds its events settled and redoes the
 * after-commit steps: nothing doubled, nothing missing.
 */
export function createPartitionDrainer(deps: DrainerDeps) {
  const { inbox, repository, wake, lingerMs, log } = deps

  async function applyWithRetry(items: QueuedEvent[], options: ApplyOptions): Promise<BatchResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await repository.applyBatch(items, options)
      } catch (err) {
        const transient = isTransientDbError(err)
        if (!options.trial) deps.failed?.(transient)
        if (!transient || deps.closing()) throw err
        const wait = Math.min(100 * 2 ** attempt, 5000)
        log.warn({ err: (err as Error).message, attempt, wait }, 'database unavailable; batch waits')
        await sleep(wait)
      }
    }
  }
  const applyOrSetAside = createSetAside(applyWithRetry, log)

  async function publishEffects(result: BatchResult) {
    // An import's events have no device waiting for an ack or resending: only the stock goes out.
    const scans = result.plan.outcomes.filter((o) => !o.item.origin)
    const replayed = new Set<string>()
    const acks = await Promise.all(scans.map((o) => replayedAck(o, replayed)))
    // The commit is durable: answer the devices now, while the cache, the deltas and the outcome
    // records are written (a resend meanwhile is still caught by the ledger).
    scans.forEach((o, i) => deps.acks.publish({ site: o.item.site, deviceId: o.item.event.deviceId }, acks[i]!, o.item.event.type))
    await Promise.all([
      deps.stock.levels(changedStock(result)),
      deps.outcomes.putMany(scans.flatMap((o, i) => (isFinal(acks[i]!) ? [{ hash: o.item.hash, ack: acks[i]! }] : []))),
    ])
  }

  /**
   * The floor screens' activity feed and held-events list; a replayed batch was shown before. The
   * batch's held events go to their sites' screens, one message per site with its pending count.
   */
  async function showOnFloor(plan: BatchPlan) {
    const at = new Date().toISOString()
    // An import's rows are not floor activity (a million of them would bury the feed); its held ones are shown.
    const settledNow = plan.outcomes.filter((o) => !o.settledEarlier && o.ack.status !== 'duplicate' && !o.item.origin)
    deps.stock.activity(
      settledNow.map(({ item, ack }) => ({
        at,
        site: item.site,
        deviceId: item.event.deviceId,
        eventId: item.event.eventId,
        eventType: item.event.type,
        sku: item.sku,
        location: item.locationCode,
        qty: item.qty,
        status: ack.status as 'applied' | 'held' | 'rejected',
        ...(ack.code ? { code: ack.code } : {}),
      })),
    )
    if (plan.held.length === 0) return
    const bySite = new Map<string, HeldItem[]>()
    for (const { item, code, reason } of plan.held) {
      const held = bySite.get(item.site) ?? []
      held.push({
        eventId: item.event.eventId,
        deviceId: item.event.deviceId,
        sku: item.sku,
        location: item.locationCode,
        code,
        reason,
        at,
      })
      bySite.set(item.site, held)
    }
    const pending = await deps.pendingHeld([...bySite.keys()])
    await Promise.all(
      [...bySite].map(([site, held]) => deps.stock.floor({ type: 'held_event', held, pending: pending.get(site) ?? 0 }, site)),
    )
  }

  const isFinal = (ack: Ack) => ack.status === 'applied' || ack.status === 'held'

  /**
   * An event the database settled before but whose outcome was never recorded is a replay of a
   * batch that died after its commit: its device has not heard, so it gets the original status.
   */
  async function replayedAck(o: EventOutcome, replayed: Set<string>): Promise<Ack> {
    const id = o.item.event.eventId
    if (!o.settledEarlier || replayed.has(id)) return o.ack
    replayed.add(id)
    if (await deps.outcomes.get(id)) return o.ack
    const { settledAs: _first, ...ack } = o.ack
    return { ...ack, status: o.settledEarlier }
  }

  /**
   * After an empty read: waits for the partition's next events if the read left the drain
   * listening (a BullMQ job cycle per small batch costs more than the batch). True when the drain
   * may end: nothing came and it no longer listens.
   */
  async function linger(partition: number, ticket: number, listening: boolean): Promise<boolean> {
    if (listening && (await wake.wait(partition, ticket, lingerMs)) && !deps.closing()) return false
    return inbox.unlisten(partition)
  }

  return {
    /**
     * Applies what is queued in the partition; true when it stopped with events still queued.
     * With an empty inbox it listens for the next events up to `lingerMs` before it ends.
     */
    async drain(partition: number): Promise<boolean> {
      let applied: string[] = []
      for (let round = 1; ; round++) {
        // Taken before the read that may start the listening, so no announcement after it is missed.
        const ticket = wake.ticket(partition)
        const listenMs = lingerMs > 0 && !deps.closing() ? lingerMs + LISTEN_MARGIN_MS : 0
        const raw = await inbox.advance(partition, applied, deps.batchMax, listenMs)
        applied = raw
        if (raw.length === 0) {
          if (await linger(partition, ticket, listenMs > 0)) return false
          continue
        }
        const result = await applyOrSetAside(raw.map((r) => JSON.parse(r) as QueuedEvent))
        // Noted before anything that needs Redis: if Redis is lost now, its inbox goes with it and
        // the sequencer restarts from these seqs, which must then include this batch's.
        deps.activity.note(result.plan.outcomes.flatMap((o) => (o.item.origin ? [] : [o.item.event])))
        deps.afterCommit?.()
        deps.committed?.(result.plan.outcomes)
        await publishEffects(result)
        // Informational, and not needed for a replay: the next batch does not wait for it.
        void showOnFloor(result.plan).catch((err: Error) => log.warn({ err: err.message }, 'floor feed not updated'))
        if (round >= MAX_ROUNDS || deps.closing()) {
          await inbox.advance(partition, raw, 0)
          return true
        }
      }
    },
  }
}

export type PartitionDrainer = ReturnType<typeof createPartitionDrainer>
