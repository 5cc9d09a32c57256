import { scripts } from '../redis/scripts.ts'
import type { Redis } from '../redis/redis-client.ts'

/**
 * Restores each device's order (deviceSeq) before events reach the partition inboxes: a shared
 * subscription splits one device's messages across hub instances, and a resend can overtake a
 * first send. An event whose predecessor has not been admitted yet waits here, in Redis, not in
 * a partition, so waiting never blocks other devices. All state changes are one Lua call:
 * `redis/scripts/sequence-*.lua`, whose shared include lists the keys.
 */
export type { SequencerState } from '../redis/scripts.ts'

export interface SequencerEntry {
  deviceId: string
  deviceSeq: number
  /** null for an event settled at ingest (rejected): only its place in the sequence counts. */
  partition: number | null
  item: string
}

export interface SequenceGap {
  deviceId: string
  from: number
  to: number
}

/**
 * @param lastSeqOf the highest deviceSeq the database has settled for a device, used when Redis
 *   holds no position for it
 */
export function createDeviceSequencer(
  redis: Redis,
  prefix: string,
  lastSeqOf: (deviceId: string) => Promise<number>,
  now: () => number = Date.now,
) {
  return {
    /**
     * Admits events into their partition inboxes once their device predecessors are in, or keeps
     * them waiting; in one call, in the order given. A `partition` of null records a seq settled
     * at ingest (rejected) so it does not hold up its successors. Returns each event's state and
     * the partitions that received events and need a drain job (a listening drain was woken).
     */
    async admit(entries: SequencerEntry[]) {
      const run = async (batch: SequencerEntry[], floors?: number[]) => {
        const args = batch.flatMap((e, i) => [e.deviceId, e.deviceSeq, e.partition ?? '', e.item, floors?.[i] ?? ''])
        return scripts.sequenceAdmit(redis, [], [prefix, now(), ...args])
      }
      const [states, requests] = await run(entries)
      // Redis has no position for some devices (first events, or Redis was lost): start from MySQL's.
      const unknown = entries.filter((_, i) => states[i] === 'unknown')
      if (unknown.length > 0) {
        const [again, requestsAgain] = await run(unknown, await Promise.all(unknown.map((e) => lastSeqOf(e.deviceId))))
        let k = 0
        states.forEach((st, i) => st === 'unknown' && (states[i] = again[k++]!))
        requests.push(...requestsAgain)
      }
      return { states, partitions: [...new Set(requests.map(Number))] }
    },

    /**
     * The device's highest admitted deviceSeq (everything up to it is in an inbox or settled), or
     * null when Redis holds no position for it (no events yet, or Redis was lost or replaced).
     * The key is the one `redis/scripts/includes/sequence-push.lua` names.
     */
    async position(deviceId: string): Promise<number | null> {
      const last = await redis.get(`${prefix}:seq:last:${deviceId}`)
      return last === null ? null : Number(last)
    },

    /** Releases events that waited longer than `waitMs` for a missing predecessor (partitions as `admit`). */
    async releaseGaps(waitMs: number) {
      const [gaps, requests] = await scripts.sequenceReleaseGaps(redis, [], [prefix, now(), waitMs])
      return {
        gaps: gaps.map(([deviceId, from, to]): SequenceGap => ({ deviceId, from, to })),
        partitions: requests.map(Number),
      }
    },
  }
}

export type DeviceSequencer = ReturnType<typeof createDeviceSequencer>
