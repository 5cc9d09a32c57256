import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/** CPU seconds a process has used so far, user and system, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The name in parentheses may hold spaces: count the fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/** The process listening on a loopback TCP port (the shared MariaDB, Redis or a broker), if `ss` can tell. */
export function pidListeningOn(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' })
    const pid = /pid=(\d+)/.exec(out)?.[1]
    return pid ? Number(pid) : undefined
  } catch {
    return undefined
  }
}

/**
 * Measures the CPU time each named process spends from `start` to `stop`: the profile that says
 * which part of the machine an event's cost goes to, when everything shares the same cores.
 */
export function cpuMeter(processes: Record<string, number | undefined>) {
  const known = Object.entries(processes).filter((e): e is [string, number] => e[1] !== undefined)
  let begin: Map<string, number> | undefined
  return {
    start() {
      begin = new Map(known.map(([name, pid]) => [name, cpuSeconds(pid)]))
    },
    /** CPU seconds per process since `start`. */
    stop(): Record<string, number> {
      if (!begin) throw new Error('cpuMeter: stop before start')
      return Object.fromEntries(known.map(([name, pid]) => [name, cpuSeconds(pid) - begin!.get(name)!]))
    },
  }
}

export type CpuMeter = ReturnType<typeof cpuMeter>
