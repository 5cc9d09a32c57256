import type { Log } from '../log.ts'
import { isTransientDbError } from '../db/transient-errors.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import type { ApplyOptions, BatchResult } from './batch-apply.ts'

/** Applies a batch, or with `trial` only tries it; waits out transient errors itself. */
export type ApplyBatch = (items: QueuedEvent[], options: ApplyOptions) => Promise<BatchResult>

/**
 * Another partition settled one of the batch's events after the batch read them as new: two copies
 * of one eventId that name different products are in different partitions. Applied again, the
 * batch reads that event as settled (a duplicate or a CONFLICT), so it is no event's fault.
 */
const SETTLED_KEY = /for key '(movements_event_leg|held_events_event_id_unique)'/
const settledMeanwhile = (err: unknown) => (err as { code?: string }).code === 'ER_DUP_ENTRY' && SETTLED_KEY.test((err as Error).message)
/** Times a batch is applied again for that before its failure is taken as its own. */
const SETTLED_RETRIES = 3

/** What the held row and the device say; the error itself goes to the log, not to devices. */
const DETAIL = 'the database refused its writes (the hub log has the error); approve to try again, or reject'

/**
 * Applies a batch so that one event the database refuses for good cannot stop its partition.
 * When a batch fails with an error that is not transient (a range or constraint the planner did
 * not foresee, a bug), trials that are rolled back bisect it for the event whose writes fail; that
 * event is set aside (held as APPLY_FAILED in the batch's own transaction, so it is recorded and
 * acked once like any held event) and the batch is applied again, until it commits. A failure no
 * single event explains (the database itself) is thrown, and the batch waits as before.
 */
export function createSetAside(apply: ApplyBatch, log: Log) {
  /** Whether the first `n` items fail, those in `aside` held; nothing is kept. */
  async function fails(items: QueuedEvent[], n: number, aside: ReadonlyMap<string, string>): Promise<boolean> {
    try {
      await apply(items.slice(0, n), { aside, trial: true })
      return false
    } catch (err) {
      if (isTransientDbError(err)) throw err
      return true
    }
  }

  /**
   * The event whose writes make the batch fail: the last of the shortest failing prefix (the
   * whole batch fails; an empty one cannot), found in log2(n) trials. Then confirmed by a trial of
   * that prefix with it held, so an error that fails everything never sets an event aside.
   */
  async function culprit(items: QueuedEvent[], aside: ReadonlyMap<string, string>): Promise<QueuedEvent | undefined> {
    let [passing, failing] = [0, items.length]
    while (failing - passing > 1) {
      const mid = (passing + failing) >>> 1
      if (await fails(items, mid, aside)) failing = mid
      else passing = mid
    }
    const suspect = items[failing - 1]!
    const id = suspect.event.eventId
    if (aside.has(id)) return undefined
    return (await fails(items, failing, new Map([...aside, [id, DETAIL]]))) ? undefined : suspect
  }

  return async function applyOrSetAside(items: QueuedEvent[]): Promise<BatchResult> {
    const aside = new Map<string, string>()
    for (let raced = 0; ;) {
      try {
        return await apply(items, { aside })
      } catch (err) {
        if (isTransientDbError(err)) throw err
        if (settledMeanwhile(err) && raced++ < SETTLED_RETRIES) {
          log.info({ err: (err as Error).message }, 'an event was settled in another partition meanwhile: batch applied again')
          continue
        }
        const suspect = await culprit(items, aside)
        if (!suspect) throw err
        const { eventId, deviceId } = suspect.event
        log.error(
          { err: (err as Error).message, code: (err as { code?: string }).code, eventId, deviceId, sku: suspect.sku },
          'event set aside',
        )
        aside.set(eventId, DETAIL)
      }
    }
  }
}
