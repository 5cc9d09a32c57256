import type { FleetSnapshot } from './fleet-stats.ts'

const secs = (ms: number) => `${(ms / 1000).toFixed(0)}s`

/** One line a person can follow while a fleet runs. */
export function progressLine(s: FleetSnapshot): string {
  const o = s.outcomes
  return (
    `${secs(s.elapsedMs)}  sent ${s.sent}  applied ${o.applied}  held ${o.held}  rejected ${o.rejected}  ` +
    `in flight ${s.inFlight}  ${s.eventsPerSecond} ev/s  ack p50 ${s.latencyMs.p50} ms  p99 ${s.latencyMs.p99} ms` +
    (s.resends ? `  resent ${s.resends}` : '') +
    (s.refused ? `  refused ${s.refused}` : '')
  )
}

/** Redraws in place on a terminal; in a log (CI, a pipe) writes a line every few seconds instead. */
export function createProgressWriter(stream: NodeJS.WriteStream = process.stderr, everyMs = 5000) {
  let last = 0
  return {
    update(s: FleetSnapshot) {
      if (stream.isTTY) stream.write(`\r\x1b[K${progressLine(s)}`)
      else if (s.elapsedMs - last >= everyMs) {
        last = s.elapsedMs
        stream.write(`${progressLine(s)}\n`)
      }
    },
    end: (s: FleetSnapshot) => stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}${progressLine(s)}\n`),
  }
}
