import { stats, type Figure } from './figures.ts'

/** CPU microseconds per event by process, one value per rep, in scenarios (a) and (b). */
export interface CpuRuns {
  a: Record<string, number[]>
  b: Record<string, number[]>
}

/** The processes that are not the hub: the scanners (simulated) and the MQTT broker. */
const OUTSIDE_THE_HUB = ['load generator', 'broker']
const TARGET_EVENTS_PER_S = 10_000
const B_RATE = 1000
/** The CPU per event that 10,000 events/s leaves on `cores`. */
export const cpuBudgetUs = (cores: number) => Math.round((cores * 1e6) / TARGET_EVENTS_PER_S)

/** The figures derived from the per-process ones; every other `cpu.` figure is one process's. */
const DERIVED = ['total', 'outside', 'bound', 'boundOutside', 'busy', 'trips'] as const
export const cpuKey = (scenario: 'a' | 'b', name: (typeof DERIVED)[number]) => `cpu.${scenario}.${name}`
/** One process's CPU per event in `scenario`, not a sum or a bound derived from them. */
export const isProcessFigure = (key: string, scenario: 'a' | 'b') =>
  key.startsWith(`cpu.${scenario}.`) && !(DERIVED as readonly string[]).includes(key.slice(`cpu.${scenario}.`.length))

const sumPerRep = (byProcess: Record<string, number[]>, names: string[]) =>
  (byProcess[names[0]!] ?? []).map((_, rep) => names.reduce((sum, n) => sum + (byProcess[n]?.[rep] ?? 0), 0))

/**
 * Where an event's CPU goes, when every part runs on the same cores: the profile that bounds
 * scenario (a) (events/s can be at most cores / CPU per event) and explains (b)'s queueing (how
 * busy the machine already is at 1,000 events/s, and how many process round trips, at what one
 * costs here with messages 1 ms apart, an event's CPU amounts to).
 */
export function summarizeCpu(cpu: CpuRuns, cores: number, roundTripUs: number[] = []): Figure[] {
  const figures: Figure[] = []
  const budget = cpuBudgetUs(cores)
  for (const scenario of ['a', 'b'] as const) {
    const byProcess = cpu[scenario]
    const names = Object.keys(byProcess)
    if (names.length === 0) continue
    for (const n of names)
      figures.push({ key: `cpu.${scenario}.${n}`, label: `(${scenario}) CPU per event: ${n}`, unit: 'us', ...stats(byProcess[n]!) })
    const total = stats(sumPerRep(byProcess, names))
    figures.push({
      key: cpuKey(scenario, 'total'),
      label: `(${scenario}) CPU per event: all processes`,
      unit: 'us',
      ...total,
      ...(scenario === 'a' && {
        target: { text: `<= ${budget} us for 10,000 events/s on ${cores} cores`, met: total.median <= budget },
      }),
    })
    if (scenario === 'a') {
      const outside = stats(
        sumPerRep(
          byProcess,
          names.filter((n) => OUTSIDE_THE_HUB.includes(n)),
        ),
      )
      figures.push({ key: cpuKey('a', 'outside'), label: '(a) CPU per event outside the hub', unit: 'us', ...outside })
      const bound = (us: number) => Math.round((cores * 1e6) / Math.max(1, us))
      figures.push({
        key: cpuKey('a', 'bound'),
        label: '(a) cores / CPU per event',
        unit: 'events/s',
        median: bound(total.median),
        min: bound(total.max),
        max: bound(total.min),
      })
      figures.push({
        key: cpuKey('a', 'boundOutside'),
        label: '(a) cores / CPU outside the hub',
        unit: 'events/s',
        median: bound(outside.median),
        min: bound(outside.max),
        max: bound(outside.min),
      })
    } else {
      const busy = (us: number) => Math.round(((us * B_RATE) / 1e6 / cores) * 100)
      figures.push({
        key: cpuKey('b', 'busy'),
        label: '(b) machine busy at 1,000 events/s',
        unit: '%',
        median: busy(total.median),
        min: busy(total.min),
        max: busy(total.max),
      })
      if (roundTripUs.length > 0) {
        const trip = stats(roundTripUs)
        figures.push({
          key: cpuKey('b', 'trips'),
          label: '(b) CPU per event / process round trip',
          unit: 'round trips',
          median: Math.round(total.median / trip.median),
          min: Math.round(total.min / trip.max),
          max: Math.round(total.max / trip.min),
        })
      }
    }
  }
  return figures
}
