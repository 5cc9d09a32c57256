import type { Log } from '../log.ts'

/**
 * Each device's last activity and highest applied deviceSeq, gathered from every batch and written
 * in one statement per interval: a write per batch would be a second durable commit on the hot
 * path. Only the sequencer reads it, when Redis has lost its own position (then a stale value
 * costs at most one gap wait).
 */
export function createDeviceActivity(write: (lastSeq: Map<string, number>) => Promise<void>, log: Log, everyMs = 1000) {
  let pending = new Map<string, number>()
  const merge = (from: Map<string, number>) => {
    for (const [id, seq] of from) pending.set(id, Math.max(pending.get(id) ?? 0, seq))
  }
  const flush = async () => {
    if (pending.size === 0) return
    const batch = pending
    pending = new Map()
    await write(batch).catch((err: Error) => {
      log.warn({ err: err.message }, 'device activity not written; retrying')
      merge(batch)
    })
  }
  const timer = setInterval(() => void flush(), everyMs)
  return {
    note(events: { deviceId: string; deviceSeq: number }[]) {
      for (const e of events) pending.set(e.deviceId, Math.max(pending.get(e.deviceId) ?? 0, e.deviceSeq))
    },
    async close() {
      clearInterval(timer)
      await flush()
    },
  }
}

export type DeviceActivity = ReturnType<typeof createDeviceActivity>
